import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { DeliveryError } from '../messaging/delivery-error.ts';
import { messageIdFor, type EmailTransport } from '../messaging/email-transport.ts';
import type { TemplateRenderer } from '../messaging/template-renderer.ts';
import type { Clock } from '../shared/clock.ts';
import { Problem, problems } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { ShopRow } from '../shops/shop.ts';
import { messagingSettings } from './messaging-settings.ts';
import { previewMessageTemplate } from './preview-message-template.ts';

/**
 * An e-mail template (the draft when the editor sends one, else the version messages use now)
 * rendered for the sample customer as its preview is, and sent to one address: the signed-in
 * person's own. It goes where the shop's mail goes (SMTP_URL, or the local outbox without it),
 * marked as a test in its subject, and is no message of the delivery log: no consent, caps or
 * quiet hours apply, and nothing is counted.
 */
export async function sendTestMessage(
  db: Kysely<Database>,
  clock: Clock,
  shop: ShopRow,
  deps: {
    publicUrl: string;
    renderer: TemplateRenderer;
    transport: EmailTransport;
    mailFrom: string;
    outbox: boolean;
  },
  params: { key: string; channel: string; locale: string },
  to: string | null,
  draft: unknown,
  customerId?: string,
): Promise<{ to: string; subject: string; outbox: boolean; messageId: string }> {
  if (!to)
    throw problems.unprocessable(
      'test-needs-person',
      'No address to send the test to',
      'A test goes to the signed-in person’s own address: sign in to the dashboard to send one (an API key has no address).',
    );
  const preview = await previewMessageTemplate(db, clock, shop, deps, params, draft, customerId);
  if (preview.channel !== 'email')
    throw problems.unprocessable(
      'test-email-only',
      'Only e-mail can be sent as a test',
      'A test send is for e-mail templates; the SMS and push previews show the text as it goes out.',
    );
  const settings = (await messagingSettings(db, [shop.id])).get(shop.id)!;
  const messageId = `test-${newId('msg')}`;
  const subject = `[TEST] ${preview.subject}`;
  try {
    await deps.transport.send({
      to,
      from: {
        name: settings.senderName ?? shop.name,
        address: settings.fromAddress ?? deps.mailFrom,
      },
      ...(settings.replyTo ? { replyTo: settings.replyTo } : {}),
      subject,
      html: preview.html,
      text: preview.text,
      // Read by the outbox transport (no SMTP_URL): the shop the mail belongs to and its key.
      headers: { 'X-Lojal-Shop': shop.id, 'X-Lojal-Message': messageId },
      messageId: messageIdFor(messageId),
    });
  } catch (error) {
    if (error instanceof DeliveryError)
      throw new Problem(
        502,
        'test-send-failed',
        'The mail server did not take the test',
        `The mail server refused the test (${error.kind}): ${error.message}`,
      );
    throw error;
  }
  return { to, subject, outbox: deps.outbox, messageId };
}
