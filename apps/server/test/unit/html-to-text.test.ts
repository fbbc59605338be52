import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../src/messaging/html-to-text.ts';

describe('htmlToText', () => {
  it('decodes every HTML entity in the plain-text part: named (&ndash; &euro; &oacute;) and numeric', () => {
    const text = htmlToText(
      '<body><p>Promocja 10&ndash;20&nbsp;% na 5&euro; &ndash; Kr&oacute;tko, &#322;&oacute;d&#x17A;!</p></body>',
    );
    expect(text).toBe('Promocja 10–20 % na 5€ – Krótko, łódź!');
  });

  it('decodes entities in link labels and addresses, and leaves text that is no entity alone', () => {
    const text = htmlToText(
      '<p><a href="https://ziarno.example/?a=1&amp;b=2">Caf&eacute; &raquo;</a> R&D &bogus; AT&T</p>',
    );
    expect(text).toBe('Café » (https://ziarno.example/?a=1&b=2) R&D &bogus; AT&T');
  });
});
