import { createIntl } from 'react-intl';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { merge, SHELL } from '../../../dashboard/src/i18n/messages.ts';
import { AREAS } from '../../../dashboard/src/i18n/area-messages.ts';
import { fieldErrorWording } from '../../../dashboard/src/i18n/field-error-wording.ts';
import type { FieldError } from '../../../dashboard/src/api/client.ts';

// The dashboard's texts as the browser formats them (react-intl): both languages say the same
// things with the same arguments, and Polish counts with its four plural forms.
// The shell's texts (loaded with the first page) and the pages' (loaded apart), as the dashboard
// holds them once both are in.
const ALL = [...SHELL, ...AREAS];
const MESSAGES = merge(ALL);
const AREA_IDS = ALL.map((area) => Object.keys(area.en));
const intl = (locale: 'pl' | 'en') => createIntl({ locale, messages: MESSAGES[locale] });

/** The names of a message's arguments, nested ones included. */
function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
    into.add(element.value);
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      for (const option of Object.values(element.options)) argumentsOf(option.value, into);
    }
  }
  return into;
}

describe('the dashboard messages', () => {
  it('use each id in one area only (a later area would silently replace an earlier text)', () => {
    const seen = new Map<string, number>();
    AREA_IDS.forEach((ids, area) => {
      for (const id of ids) {
        expect(seen.get(id), `${id} in areas ${seen.get(id)} and ${area}`).toBeUndefined();
        seen.set(id, area);
      }
    });
    expect(seen.size).toBe(Object.keys(MESSAGES.en).length);
  });

  it('exist in Polish and English with the same arguments, and parse as ICU', () => {
    expect(Object.keys(MESSAGES.pl).sort()).toEqual(Object.keys(MESSAGES.en).sort());
    for (const [id, english] of Object.entries(MESSAGES.en)) {
      const polish = MESSAGES.pl[id] ?? '';
      expect([...argumentsOf(parse(polish))].sort(), id).toEqual(
        [...argumentsOf(parse(english))].sort(),
      );
    }
  });

  it('count points the Polish way: 1 punkt, 2 punkty, 5 punktów', () => {
    const pl = intl('pl');
    const points = (count: number) => pl.formatMessage({ id: 'home.points' }, { count });
    expect([1, 2, 4, 5, 12, 22, 25, 112, 1002].map(points)).toEqual([
      '1 punkt',
      '2 punkty',
      '4 punkty',
      '5 punktów',
      '12 punktów',
      '22 punkty',
      '25 punktów',
      '112 punktów',
      '1002 punkty',
    ]);
    expect(points(0)).toBe('0 punktów');
    expect(points(1.5)).toBe('1,5 punktu');
    expect(points(204_241)).toMatch(/^204\s241 punktów$/); // a no-break space groups thousands
    const en = intl('en');
    expect([1, 2, 5].map((count) => en.formatMessage({ id: 'home.points' }, { count }))).toEqual([
      '1 point',
      '2 points',
      '5 points',
    ]);
  });

  it('says the wait of a refused sign-in in the right form', () => {
    const pl = intl('pl');
    const wait = (minutes: number) =>
      pl.formatMessage({ id: 'signIn.throttledMinutes' }, { minutes });
    expect(wait(1)).toBe('Zbyt wiele prób. Spróbuj ponownie za 1 minutę.');
    expect(wait(3)).toBe('Zbyt wiele prób. Spróbuj ponownie za 3 minuty.');
    expect(wait(15)).toBe('Zbyt wiele prób. Spróbuj ponownie za 15 minut.');
    expect(pl.formatMessage({ id: 'team.count' }, { count: 2 })).toBe('2 osoby');
  });
});

describe('field errors from the server', () => {
  const pl = fieldErrorWording('pl');
  const en = fieldErrorWording('en');
  const error = (facts: Partial<FieldError>): FieldError => ({
    path: 'name',
    message: 'the server said it',
    ...facts,
  });

  it('are said in Polish and English from their facts, with plurals', () => {
    const short = (n: number) => error({ code: 'too_small', minimum: n, origin: 'string' });
    expect(pl(short(1))).toBe('Wpisz co najmniej 1 znak.');
    expect(pl(short(2))).toBe('Wpisz co najmniej 2 znaki.');
    expect(pl(short(10))).toBe('Wpisz co najmniej 10 znaków.');
    expect(en(short(10))).toBe('Enter at least 10 characters.');
    expect(pl(error({ code: 'too_big', maximum: 10_000, origin: 'number' }))).toMatch(
      /^Wpisz 10\s000 lub mniej\.$/,
    );
    expect(pl(error({ code: 'too_small', minimum: 0, exclusive: true, origin: 'number' }))).toBe(
      'Wpisz więcej niż 0.',
    );
    expect(pl(error({ code: 'invalid_format', format: 'email' }))).toBe(
      'Wpisz poprawny adres e-mail.',
    );
    expect(en(error({ code: 'invalid_value', values: ['pl', 'en'] }))).toBe(
      'Choose one of: pl, en.',
    );
  });

  it("keep the server's words where the facts say nothing (a route's own rule)", () => {
    expect(pl(error({ code: 'custom' }))).toBe('the server said it');
    expect(pl(error({}))).toBe('the server said it');
    expect(pl(error({ code: 'invalid_format', format: 'regex' }))).toBe('the server said it');
  });
});
