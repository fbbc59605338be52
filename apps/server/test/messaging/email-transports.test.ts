import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/messaging/delivery-error.ts';
import { messageIdFor, type OutgoingEmail } from '../../src/messaging/email-transport.ts';
import { listUnsubscribeHeaders } from '../../src/messaging/list-unsubscribe.ts';
import { outboxTransport } from '../../src/messaging/outbox-transport.ts';
import { smtpTransport } from '../../src/messaging/smtp-transport.ts';

const received: ParsedMail[] = [];
let server: SMTPServer;
let url: string;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (auth, _session, callback) =>
      auth.username === 'lojal' && auth.password === 'sekret'
        ? callback(null, { user: 'lojal' })
        : callback(Object.assign(new Error('Invalid login'), { responseCode: 535 })),
    onRcptTo(address, _session, callback) {
      const to = address.address;
      if (to.startsWith('nobody@')) {
        return callback(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }));
      }
      if (to.startsWith('busy@')) {
        return callback(Object.assign(new Error('4.7.0 Try again later'), { responseCode: 421 }));
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  url = `smtp://lojal:sekret@127.0.0.1:${port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function mail(to: string, sendKey = 'snd_01'): OutgoingEmail {
  return {
    to,
    from: { name: 'Kawiarnia Ziarno', address: 'hello@ziarno.example' },
    replyTo: 'kontakt@ziarno.example',
    subject: 'Zażółć gęślą jaźń – 245 punktów',
    html: '<p>Cześć, Zofia! Masz <b>245 punktów</b>. Źdźbło, łódź, ŻÓŁW.</p>',
    text: 'Cześć, Zofia! Masz 245 punktów. Źdźbło, łódź, ŻÓŁW.',
    headers: listUnsubscribeHeaders('https://lojal.example/u/tok', 'unsubscribe@lojal.example'),
    messageId: messageIdFor(sendKey, 'lojal.example'),
  };
}

describe('smtpTransport', () => {
  it('delivers both parts, Polish diacritics intact, with Message-ID and one-click unsubscribe headers', async () => {
    const transport = smtpTransport(url);
    const { providerId } = await transport.send(mail('zofia@example.com'));
    await transport.close();
    expect(providerId).toMatch(/^250/);
    const got = received.at(-1)!;
    expect(got.subject).toBe('Zażółć gęślą jaźń – 245 punktów');
    expect(got.text?.trim()).toBe('Cześć, Zofia! Masz 245 punktów. Źdźbło, łódź, ŻÓŁW.');
    expect(got.html).toContain('Źdźbło, łódź, ŻÓŁW.');
    expect(got.messageId).toBe('<snd_01@lojal.example>');
    // mailparser gathers the List-* headers under "list".
    expect(got.headers.get('list')).toEqual({
      unsubscribe: { url: 'https://lojal.example/u/tok', mail: 'unsubscribe@lojal.example' },
      'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' },
    });
    expect(got.headerLines.map((h) => h.line)).toContain(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
    expect(got.from?.value[0]).toMatchObject({
      name: 'Kawiarnia Ziarno',
      address: 'hello@ziarno.example',
    });
    expect(got.replyTo?.value[0]?.address).toBe('kontakt@ziarno.example');
  });

  it('reuses pooled connections for several sends', async () => {
    const transport = smtpTransport(url, { pool: true, maxConnections: 2 });
    const before = received.length;
    await Promise.all(
      ['a', 'b', 'c'].map((k) => transport.send(mail(`${k}@example.com`, `snd_${k}`))),
    );
    await transport.close();
    expect(received.length - before).toBe(3);
  });

  it('turns a 550 recipient rejection into a bounce', async () => {
    const transport = smtpTransport(url);
    const error = await transport.send(mail('nobody@example.com')).catch((e: unknown) => e);
    await transport.close();
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ kind: 'bounce', providerCode: '550' });
  });

  it('turns a 421 into a transient failure', async () => {
    const transport = smtpTransport(url);
    const error = await transport.send(mail('busy@example.com')).catch((e: unknown) => e);
    await transport.close();
    expect(error).toMatchObject({ kind: 'transient', providerCode: '421' });
  });

  it('turns a refused connection into a transient failure', async () => {
    const transport = smtpTransport('smtp://127.0.0.1:1');
    const error = await transport.send(mail('zofia@example.com')).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'transient' });
  });

  it('turns wrong credentials into a permanent failure', async () => {
    const transport = smtpTransport(url.replace('sekret', 'wrong'));
    const error = await transport.send(mail('zofia@example.com')).catch((e: unknown) => e);
    await transport.close();
    expect(error).toMatchObject({ kind: 'permanent', providerCode: '535' });
  });

  it('refuses a header value with a line break', async () => {
    const transport = smtpTransport(url);
    const bad = {
      ...mail('zofia@example.com'),
      headers: { 'X-Test': 'a\r\nBcc: evil@example.com' },
    };
    await expect(transport.send(bad)).rejects.toMatchObject({ kind: 'permanent' });
    await transport.close();
  });
});

describe('outboxTransport', () => {
  it('hands over the complete MIME message that SMTP would carry', async () => {
    const stored: (OutgoingEmail & { raw: string })[] = [];
    const transport = outboxTransport(async (m) => {
      stored.push(m);
    });
    const { providerId } = await transport.send(mail('zofia@example.com', 'snd_outbox'));
    expect(providerId).toBe('<snd_outbox@lojal.example>');
    const parsed = await simpleParser(stored[0]!.raw);
    expect(parsed.subject).toBe('Zażółć gęślą jaźń – 245 punktów');
    expect(parsed.messageId).toBe('<snd_outbox@lojal.example>');
    expect(parsed.text?.trim()).toContain('ŻÓŁW');
    expect(parsed.html).toContain('<b>245 punktów</b>');
    expect(stored[0]!.raw).toContain('\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n');
  });
});

describe('listUnsubscribeHeaders', () => {
  it('lists the https address first and adds the one-click header', () => {
    expect(listUnsubscribeHeaders('https://l.example/u?t=1', 'mailto:u@l.example')).toEqual({
      'List-Unsubscribe': '<https://l.example/u?t=1>, <mailto:u@l.example>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(listUnsubscribeHeaders('https://l.example/u')['List-Unsubscribe']).toBe(
      '<https://l.example/u>',
    );
  });

  it('refuses a one-click address that is not https', () => {
    expect(() => listUnsubscribeHeaders('http://l.example/u')).toThrow(RangeError);
  });
});

describe('messageIdFor', () => {
  it('gives the same Message-ID for the same send key', () => {
    expect(messageIdFor('snd_1:welcome', 'lojal.example')).toBe(
      '<snd_1:welcome@lojal.example>'.replace(':', '-'),
    );
    expect(messageIdFor('a b<c>')).toBe('<a-b-c-@lojal>');
  });
});
