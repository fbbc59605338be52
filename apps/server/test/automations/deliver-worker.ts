/**
 * A delivery worker as its own process, for the crash test: sends every due message of the
 * database in DATABASE_URL to SMTP_URL until told to stop — or killed.
 */
import { connect } from '../../src/db/connect.ts';
import { deliverDueMessages } from '../../src/automations/deliver-messages.ts';
import { smtpTransport } from '../../src/messaging/smtp-transport.ts';
import { renderInThread } from '../../src/messaging/render-in-thread.ts';
import { SecretBox } from '../../src/shared/secrets.ts';
import { systemClock } from '../../src/shared/clock.ts';

const { db } = connect(process.env.DATABASE_URL!, 4);
const email = smtpTransport(process.env.SMTP_URL!, { pool: true, maxConnections: 4 });
const box = new SecretBox(Buffer.alloc(32, 7));
process.send?.('ready');
for (;;) {
  const report = await deliverDueMessages(
    db,
    systemClock,
    {
      channels: { email },
      keys: box,
      publicUrl: 'https://lojal.example',
      mailFrom: 'sklep@lojal.example',
      renderer: renderInThread,
      concurrency: 4,
    },
    50,
  );
  if (report.sent === 0) await new Promise((r) => setTimeout(r, 50));
}
