import type { Selectable } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { MessagesTable } from '../db/schema.ts';
import { problems } from '../shared/errors.ts';

type MessageRow = Selectable<MessagesTable>;

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function messageView(m: MessageRow, customerExternalId: string | null) {
  return {
    id: m.id,
    customerId: customerExternalId,
    channel: m.channel,
    purpose: m.purpose,
    template: m.template_key,
    locale: m.locale,
    to: m.to_address,
    status: m.status,
    statusReason: m.status_reason,
    flow: m.flow_id
      ? { flowId: m.flow_id, runId: m.run_id, stepId: m.step_id, variant: m.variant }
      : null,
    subject: m.subject,
    text: m.body_text,
    segments: m.segments,
    attempts: m.attempts,
    dueAt: m.not_before.toISOString(),
    createdAt: m.created_at.toISOString(),
    sentAt: iso(m.sent_at),
    deliveredAt: iso(m.delivered_at),
    openedAt: iso(m.opened_at),
    clickedAt: iso(m.clicked_at),
    convertedAt: iso(m.converted_at),
    convertedOrderId: m.converted_order_id,
  };
}
export type MessageView = ReturnType<typeof messageView>;

/** The delivery log, newest first, filtered and paged by a cursor (the last id seen). */
export async function listMessages(
  db: Db,
  shopId: string,
  filter: {
    customerId?: string;
    status?: MessageRow['status'];
    flowId?: string;
    channel?: MessageRow['channel'];
    purpose?: MessageRow['purpose'];
    /** Queued at or after / before these instants. */
    from?: Date;
    to?: Date;
    cursor?: string;
    limit: number;
  },
): Promise<{ messages: MessageView[]; nextCursor: string | null }> {
  let q = db
    .selectFrom('messages as m')
    .leftJoin('customers as c', (j) =>
      j.onRef('c.shop_id', '=', 'm.shop_id').onRef('c.id', '=', 'm.customer_id'),
    )
    .selectAll('m')
    .select('c.external_id')
    .where('m.shop_id', '=', shopId);
  if (filter.customerId) q = q.where('c.external_id', '=', filter.customerId);
  if (filter.status) q = q.where('m.status', '=', filter.status);
  if (filter.flowId) q = q.where('m.flow_id', '=', filter.flowId);
  if (filter.channel) q = q.where('m.channel', '=', filter.channel);
  if (filter.purpose) q = q.where('m.purpose', '=', filter.purpose);
  if (filter.from) q = q.where('m.created_at', '>=', filter.from);
  if (filter.to) q = q.where('m.created_at', '<', filter.to);
  if (filter.cursor) q = q.where('m.id', '<', filter.cursor);
  const rows = await q
    .orderBy('m.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const page = rows.slice(0, filter.limit);
  return {
    messages: page.map((r) => messageView(r, r.external_id)),
    nextCursor: rows.length > filter.limit ? page[page.length - 1]!.id : null,
  };
}

export async function getMessage(db: Db, shopId: string, messageId: string): Promise<MessageView> {
  const row = await db
    .selectFrom('messages as m')
    .leftJoin('customers as c', (j) =>
      j.onRef('c.shop_id', '=', 'm.shop_id').onRef('c.id', '=', 'm.customer_id'),
    )
    .selectAll('m')
    .select('c.external_id')
    .where('m.shop_id', '=', shopId)
    .where('m.id', '=', messageId)
    .executeTakeFirst();
  if (!row) throw problems.notFound(`Message ${messageId}`);
  return messageView(row, row.external_id);
}

/** A mail kept in the local outbox (no SMTP_URL): its envelope and the full MIME text. */
export async function outboxMail(db: Db, shopId: string, messageId: string) {
  const row = await db
    .selectFrom('mail_outbox')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('message_id', '=', messageId)
    .executeTakeFirst();
  if (!row) throw problems.notFound(`Outbox mail ${messageId}`);
  return {
    messageId: row.message_id,
    to: row.to_address,
    subject: row.subject,
    raw: row.raw,
    createdAt: row.created_at.toISOString(),
  };
}

export async function listOutbox(
  db: Db,
  shopId: string,
  cursor: string | undefined,
  limit: number,
) {
  let q = db
    .selectFrom('mail_outbox')
    .select(['message_id', 'to_address', 'subject', 'created_at'])
    .where('shop_id', '=', shopId);
  if (cursor) q = q.where('message_id', '<', cursor);
  const rows = await q
    .orderBy('message_id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  return {
    mails: page.map((r) => ({
      messageId: r.message_id,
      to: r.to_address,
      subject: r.subject,
      createdAt: r.created_at.toISOString(),
    })),
    nextCursor: rows.length > limit ? page[page.length - 1]!.message_id : null,
  };
}
