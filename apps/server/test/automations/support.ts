import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { DeliveryDeps } from '../../src/automations/deliver-messages.ts';
import type { EmailTransport } from '../../src/messaging/email-transport.ts';
import { smtpTransport } from '../../src/messaging/smtp-transport.ts';
import type { TestApp } from '../support/app.ts';

export const PUBLIC_URL = 'https://lojal.example';

export interface SmtpSink {
  url: string;
  mails: Array<ParsedMail & { envelopeTo: string[] }>;
  close(): Promise<void>;
}

/** A real SMTP server on a free port that keeps every mail it accepts, parsed. */
export async function startSmtpSink(
  options: { reject?: (to: string) => number | null } = {},
): Promise<SmtpSink> {
  const mails: SmtpSink['mails'] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const code = options.reject?.(address.address) ?? null;
      if (code === null) return callback();
      const error = Object.assign(new Error(`rejected ${address.address}`), { responseCode: code });
      return callback(error);
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          mails.push(
            Object.assign(mail, { envelopeTo: session.envelope.rcptTo.map((r) => r.address) }),
          );
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function deliveryDeps(
  t: TestApp,
  email: EmailTransport,
  extra: Partial<DeliveryDeps> = {},
): DeliveryDeps {
  return {
    channels: { email },
    keys: t.box,
    publicUrl: PUBLIC_URL,
    mailFrom: 'sklep@lojal.example',
    renderer: t.renderer,
    ...extra,
  };
}

export function smtpTo(sink: SmtpSink): EmailTransport {
  return smtpTransport(sink.url);
}

/** A local stand-in for SMSAPI.pl's REST endpoint, over real HTTP: keeps what it was sent. */
export async function startSmsapiSink(): Promise<{
  baseUrl: string;
  sent: Array<{ to: string; from: string; message: string; idx: string; at: number }>;
  close(): Promise<void>;
}> {
  const { createServer } = await import('node:http');
  const sent: Array<{ to: string; from: string; message: string; idx: string; at: number }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      sent.push({
        to: form.get('to') ?? '',
        from: form.get('from') ?? '',
        message: form.get('message') ?? '',
        idx: form.get('idx') ?? '',
        at: Date.now(),
      });
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          count: 1,
          list: [{ id: `sms-${sent.length}`, parts: 1, number: form.get('to') }],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    sent,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
