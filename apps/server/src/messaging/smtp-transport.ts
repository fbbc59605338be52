import nodemailer, { type SendMailOptions } from 'nodemailer';
import { DeliveryError } from './delivery-error.ts';
import type { EmailTransport, OutgoingEmail } from './email-transport.ts';

const NETWORK_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETLS',
  'EPROTOCOL',
]);

// Nodemailer waits 2 minutes for a connection and 10 for a silent server: a stalled provider
// would hold a sending worker that long for each message. A query in SMTP_URL still overrides.
const TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 };

/**
 * Email over SMTP with Nodemailer: `smtp://user:pass@host:587` (STARTTLS when offered) or
 * `smtps://…:465` (TLS from the start). With `pool`, connections are reused between sends.
 * A server that does not answer in time is a transient failure, retried later.
 */
export function smtpTransport(
  url: string,
  options: {
    pool?: boolean;
    maxConnections?: number;
    timeouts?: Partial<typeof TIMEOUTS>;
  } = {},
): EmailTransport {
  const query = new URLSearchParams();
  if (options.pool) query.set('pool', 'true');
  if (options.maxConnections) query.set('maxConnections', String(options.maxConnections));
  const connection = query.size ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url;
  const transporter = nodemailer.createTransport({
    ...TIMEOUTS,
    ...options.timeouts,
    url: connection,
  });
  return {
    async send(mail) {
      try {
        const info = await transporter.sendMail(toNodemailer(mail));
        return { providerId: info.response ?? info.messageId };
      } catch (error) {
        throw smtpDeliveryError(error);
      }
    },
    async close() {
      transporter.close();
    },
  };
}

export function toNodemailer(mail: OutgoingEmail): SendMailOptions {
  for (const [name, value] of Object.entries(mail.headers)) {
    // A line break in a header value would let it add headers of its own.
    if (/[\r\n]/.test(name + value)) {
      throw new DeliveryError('permanent', `Header ${name} contains a line break`);
    }
  }
  return {
    to: mail.to,
    from: mail.from,
    replyTo: mail.replyTo,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    headers: mail.headers,
    messageId: mail.messageId,
    // What Nodemailer would choose for Latin-script text, without scanning each part for it
    // on every header it builds (~6 % of the send loop's busy time, profiled).
    textEncoding: 'quoted-printable',
    ...(mail.attachments && { attachments: mail.attachments }),
  };
}

/**
 * 5xx for the recipient is a bounce (the address will not take mail); any 4xx, or no answer,
 * may pass later; other refusals (authentication, a rejected message) will not.
 */
export function smtpDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const e = error as Error & { code?: string; responseCode?: number; command?: string };
  const status = e.responseCode;
  const providerCode = status ? String(status) : e.code;
  const message = e.message ?? String(error);
  const options = { cause: error };
  if (status && status >= 400 && status < 500) {
    return new DeliveryError('transient', message, providerCode, options);
  }
  // Only the recipient refused is a bounce: a refused sender (MAIL FROM) or message (DATA) is
  // the shop's problem, and must not mark its customers' addresses undeliverable.
  const rejected = (error as { rejected?: unknown }).rejected;
  const recipientRefused =
    /RCPT/i.test(e.command ?? '') ||
    (e.code === 'EENVELOPE' &&
      !/MAIL|DATA/i.test(e.command ?? '') &&
      Array.isArray(rejected) &&
      rejected.length > 0);
  if (status && status >= 500 && recipientRefused) {
    return new DeliveryError('bounce', message, providerCode, options);
  }
  if (!status && e.code && NETWORK_CODES.has(e.code)) {
    return new DeliveryError('transient', message, providerCode, options);
  }
  return new DeliveryError('permanent', message, providerCode, options);
}
