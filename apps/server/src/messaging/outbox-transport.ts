import nodemailer from 'nodemailer';
import type { EmailTransport, OutgoingEmail } from './email-transport.ts';
import { toNodemailer } from './smtp-transport.ts';

/**
 * A transport that sends nothing: it builds the complete MIME message, exactly as SMTP would
 * carry it, and hands it to `store` (a table for development, previews and tests).
 */
export function outboxTransport(
  store: (mail: OutgoingEmail & { raw: string }) => Promise<void>,
): EmailTransport {
  const builder = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
  });
  return {
    async send(mail) {
      const info = await builder.sendMail(toNodemailer(mail));
      await store({ ...mail, raw: (info.message as Buffer).toString('utf8') });
      return { providerId: mail.messageId };
    },
    async close() {
      builder.close();
    },
  };
}
