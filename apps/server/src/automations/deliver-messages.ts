import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { MessageChannel, MessagePurpose } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import type { ShopRow } from '../shops/shop.ts';
import { shopsById } from '../shops/shops-by-id.ts';
import { DeliveryError } from '../messaging/delivery-error.ts';
import { TemplateError } from '../messaging/template-error.ts';
import { messageIdFor, type EmailTransport } from '../messaging/email-transport.ts';
import { listUnsubscribeHeaders } from '../messaging/list-unsubscribe.ts';
import { countSmsSegments } from '../messaging/sms-segments.ts';
import { phoneRegionOf, toE164 } from '../shared/phone.ts';
import type { SmsProvider } from '../messaging/sms-provider.ts';
import { deliveryWrites } from './delivery-writes.ts';
import { messageGates } from './message-gates.ts';
import { messagingSettings, type MessagingSettings } from './messaging-settings.ts';
import { outsideQuietHours } from './quiet-hours.ts';
import {
  newRenderRound,
  readFactsForRound,
  renderMessage,
  type RenderDeps,
  type RenderedMessage,
  type RenderRound,
} from './render-message.ts';

/** Push and webhooks need per-shop secrets; the runtime passes what the shop configured. */
export interface MessageChannels {
  email: EmailTransport;
  sms?(shopId: string): Promise<{ provider: SmsProvider; sender: string } | null>;
  push?(
    shopId: string,
    customerId: string,
    payload: { title: string; body: string; url?: string },
    options: { topic: string },
  ): Promise<{ providerId: string }>;
  webhook?(
    shopId: string,
    endpointId: string,
    body: string,
    deliveryId: string,
  ): Promise<{ providerId: string }>;
}

export interface DeliveryDeps extends RenderDeps {
  channels: MessageChannels;
  /** The From address when the shop has set none. */
  mailFrom: string;
  /** Sends at once in one worker (32): also the most a worker that dies leaves in doubt. */
  concurrency?: number;
  /** A message claimed longer ago than this by a worker that never reported back is settled. */
  leaseMs?: number;
}

export interface DeliveryReport {
  sent: number;
  failed: number;
  suppressed: number;
  retried: number;
  deferred: number;
  interrupted: number;
}

const QUIET_CHANNELS = new Set<MessageChannel>(['sms', 'push']);
const MAX_ATTEMPTS = 6;
const DEFAULT_LEASE_MS = 5 * 60_000;
const DEFAULT_CONCURRENCY = 32;

interface Claimed {
  shop_id: string;
  id: string;
  send_key: string;
  customer_id: string | null;
  channel: MessageChannel;
  purpose: MessagePurpose;
  template_key: string;
  locale: string;
  variables: Record<string, unknown>;
  flow_id: string | null;
  run_id: string | null;
  step_id: string | null;
  to_address: string | null;
  attempts: number;
  claim_token: string;
}

/**
 * Sends every due message exactly once. A batch is claimed in a short transaction (status
 * `claimed`, a fresh claim token, SKIP LOCKED so workers share the queue); then each message is
 * rendered, marked `sending` just before it is handed to its channel, and its outcome written
 * at once under the claim token; the senders in flight share those two writes (one statement
 * for all the marks, or all the outcomes, that are waiting: delivery-writes.ts).
 *
 * A worker that dies leaves its claimed messages `claimed` (queued again after the lease: they
 * never went out) and the few it was handing over `sending`. Past the lease, those are settled
 * without sending again: e-mail, SMS and
 * push become `uncertain` (visible in the log; the mail server may or may not have it), while
 * webhooks, whose receivers deduplicate on `Lojal-Delivery-Id`, are queued again. So no message
 * goes out twice; at most the few in flight at a crash are in doubt.
 */
export async function deliverDueMessages(
  db: Db,
  clock: Clock,
  deps: DeliveryDeps,
  batch = 200,
): Promise<DeliveryReport> {
  const report: DeliveryReport = {
    sent: 0,
    failed: 0,
    suppressed: 0,
    retried: 0,
    deferred: 0,
    interrupted: 0,
  };
  report.interrupted = await settleInterrupted(db, clock, deps.leaseMs ?? DEFAULT_LEASE_MS);
  for (;;) {
    const claim = await claimBatch(db, clock, batch, report);
    if (claim.messages.length === 0 && !claim.more) return report;
    await sendAll(db, clock, deps, claim.messages, claim.shops, claim.settings, report);
    if (!claim.more) return report;
  }
}

async function settleInterrupted(db: Db, clock: Clock, leaseMs: number): Promise<number> {
  const cutoff = new Date(clock.now().getTime() - leaseMs);
  // Claimed by a worker that stopped before handing them over: nothing went out, queue again.
  await db
    .updateTable('messages')
    .set({ status: 'queued', claim_token: null })
    .where('status', '=', 'claimed')
    .where('claimed_at', '<', cutoff)
    .execute();
  const requeued = await db
    .updateTable('messages')
    .set({ status: 'queued', claim_token: null, status_reason: 'requeued_after_interruption' })
    .where('status', '=', 'sending')
    .where('claimed_at', '<', cutoff)
    .where('channel', '=', 'webhook')
    .executeTakeFirst();
  const uncertain = await db
    .updateTable('messages')
    .set({ status: 'uncertain', status_reason: 'interrupted_while_sending' })
    .where('status', '=', 'sending')
    .where('claimed_at', '<', cutoff)
    .where('channel', '!=', 'webhook')
    .executeTakeFirst();
  return Number(requeued.numUpdatedRows) + Number(uncertain.numUpdatedRows);
}

async function claimBatch(db: Db, clock: Clock, batch: number, report: DeliveryReport) {
  return db.transaction().execute(async (tx) => {
    const now = clock.now();
    const due = await tx
      .selectFrom('messages')
      .select([
        'shop_id',
        'id',
        'send_key',
        'customer_id',
        'channel',
        'purpose',
        'template_key',
        'locale',
        'variables',
        'flow_id',
        'run_id',
        'step_id',
        'to_address',
        'attempts',
      ])
      .where('status', '=', 'queued')
      .where('not_before', '<=', now)
      .orderBy('not_before')
      .limit(batch)
      .forUpdate()
      .skipLocked()
      .execute();
    const shopIds = [...new Set(due.map((m) => m.shop_id))];
    const shops = await shopsById(tx, shopIds);
    const settings = await messagingSettings(tx, shopIds);
    const token = randomUUID();
    const claimed: Claimed[] = [];
    const suppressed: Array<{ shop_id: string; id: string; reason: string }> = [];
    const deferred: Array<{ shop_id: string; id: string; until: Date }> = [];
    // Queued before the quiet hours began, or delayed into them by retries: wait for morning.
    // Decided first, so a held message uses up nothing (the weekly cap counts what goes now).
    const sendable = due.filter((m) => {
      if (!QUIET_CHANNELS.has(m.channel)) return true;
      const shop = shops.get(m.shop_id)!;
      const until = outsideQuietHours(now, shop.timezone, settings.get(m.shop_id)!.quiet);
      if (until.getTime() <= now.getTime()) return true;
      deferred.push({ shop_id: m.shop_id, id: m.id, until });
      return false;
    });
    const gates = await messageGates(tx, sendable, settings, now);
    for (const m of sendable) {
      const reason = gates.get(m.id);
      if (reason) suppressed.push({ shop_id: m.shop_id, id: m.id, reason });
      else claimed.push({ ...m, claim_token: token });
    }
    if (claimed.length > 0) {
      await tx
        .updateTable('messages')
        .set((eb) => ({
          status: 'claimed',
          claim_token: token,
          claimed_at: now,
          attempts: eb('attempts', '+', 1),
        }))
        .where(
          sql<boolean>`(shop_id, id) IN (SELECT * FROM unnest(${claimed.map((m) => m.shop_id)}::text[], ${claimed.map((m) => m.id)}::text[]))`,
        )
        .execute();
    }
    for (const s of suppressed) {
      await tx
        .updateTable('messages')
        .set({ status: 'suppressed', status_reason: s.reason })
        .where('shop_id', '=', s.shop_id)
        .where('id', '=', s.id)
        .execute();
    }
    for (const d of deferred) {
      await tx
        .updateTable('messages')
        .set({ not_before: d.until, status_reason: 'quiet_hours' })
        .where('shop_id', '=', d.shop_id)
        .where('id', '=', d.id)
        .execute();
    }
    report.suppressed += suppressed.length;
    report.deferred += deferred.length;
    return { messages: claimed, shops, settings, more: due.length === batch };
  });
}

async function sendAll(
  db: Db,
  clock: Clock,
  deps: DeliveryDeps,
  messages: Claimed[],
  shops: Map<string, ShopRow>,
  settings: Map<string, MessagingSettings>,
  report: DeliveryReport,
): Promise<void> {
  let next = 0;
  const round = newRenderRound();
  readFactsForRound(db, round, shops, messages, clock.now());
  const writes = deliveryWrites(db, clock);
  const worker = async () => {
    while (next < messages.length) {
      const m = messages[next++]!;
      const shop = shops.get(m.shop_id)!;
      await sendOne(db, clock, deps, m, shop, settings.get(m.shop_id)!, report, round, writes);
    }
  };
  await Promise.all(
    Array.from(
      { length: Math.min(deps.concurrency ?? DEFAULT_CONCURRENCY, messages.length) },
      worker,
    ),
  );
}

async function sendOne(
  db: Db,
  clock: Clock,
  deps: DeliveryDeps,
  m: Claimed,
  shop: ShopRow,
  settings: MessagingSettings,
  report: DeliveryReport,
  round: RenderRound,
  writes: ReturnType<typeof deliveryWrites>,
): Promise<void> {
  let rendered: RenderedMessage | undefined;
  let handedOver = false;
  let delivered = false;
  try {
    rendered = await renderMessage(db, clock, deps, shop, settings, m, round);
    // Still ours? A claim older than the lease may have been taken back by another worker. From
    // here on the message is `sending`: if this worker dies now, nobody can tell whether the
    // channel got it, so it is never sent again.
    if (!(await writes.markSending(m))) return;
    handedOver = true;
    const outcome = await handOver(deps, m, shop, settings, rendered);
    // The channel has it: from here an error is the database's, and the message is sent.
    delivered = true;
    const unrecorded = await writes.recordSent({
      message: m,
      sentAt: clock.now(),
      providerId: outcome.providerId,
      segments: outcome.segments ?? null,
      subject:
        rendered.channel === 'email'
          ? rendered.subject
          : rendered.channel === 'push'
            ? rendered.title
            : null,
      bodyText: bodyText(rendered),
    });
    if (unrecorded) throw unrecorded;
    report.sent += 1;
  } catch (error) {
    // Sent, but the database would not take the outcome: it stays `sending`, settled as
    // uncertain after the lease, never recorded as failed nor sent again.
    if (delivered) throw error;
    // Before the hand-over, anything but a broken template may pass on a later try (a database
    // hiccup); after it, an unknown error leaves the outcome unknown, so nothing is retried.
    const kind =
      error instanceof DeliveryError
        ? error.kind
        : handedOver || error instanceof TemplateError
          ? 'permanent'
          : 'transient';
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    if (kind === 'transient' && m.attempts + 1 < MAX_ATTEMPTS) {
      // 1, 4, 16, 64, 256 minutes.
      const delay = 60_000 * 4 ** m.attempts;
      await settle(db, clock, m, {
        status: 'queued',
        claim_token: null,
        not_before: new Date(clock.now().getTime() + delay),
        status_reason: reason,
      });
      report.retried += 1;
      return;
    }
    await settle(db, clock, m, {
      status: kind === 'bounce' ? 'bounced' : 'failed',
      status_reason: reason,
    });
    if (kind === 'bounce' && m.to_address && m.channel !== 'webhook') {
      await db
        .insertInto('suppressions')
        .values({
          shop_id: m.shop_id,
          channel: m.channel,
          address: m.to_address,
          reason: 'bounced',
          message_id: m.id,
          created_at: clock.now(),
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    report.failed += 1;
  }
}

function bodyText(r: RenderedMessage): string {
  if (r.channel === 'email' || r.channel === 'sms') return r.text;
  if (r.channel === 'push') return r.body;
  return r.body;
}

/** The outcome, written only by the claim that sent it. */
async function settle(
  db: Db,
  _clock: Clock,
  m: Claimed,
  values: Record<string, unknown>,
): Promise<void> {
  await db
    .updateTable('messages')
    .set(values)
    .where('shop_id', '=', m.shop_id)
    .where('id', '=', m.id)
    .where('claim_token', '=', m.claim_token)
    .execute();
}

async function handOver(
  deps: DeliveryDeps,
  m: Claimed,
  shop: ShopRow,
  settings: MessagingSettings,
  rendered: RenderedMessage,
): Promise<{ providerId: string; segments?: number }> {
  if (rendered.channel === 'email') {
    const https = rendered.unsubscribeUrl.startsWith('https://');
    const headers: Record<string, string> = https
      ? listUnsubscribeHeaders(rendered.unsubscribeUrl)
      : { 'List-Unsubscribe': `<${rendered.unsubscribeUrl}>` };
    headers['X-Lojal-Message'] = m.id;
    headers['X-Lojal-Shop'] = m.shop_id;
    if (m.purpose !== 'transactional') headers['Precedence'] = 'bulk';
    return deps.channels.email.send({
      to: m.to_address!,
      from: {
        name: settings.senderName ?? shop.name,
        address: settings.fromAddress ?? deps.mailFrom,
      },
      ...(settings.replyTo ? { replyTo: settings.replyTo } : {}),
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      headers,
      messageId: messageIdFor(m.send_key.replace(/:/g, '.') + '.' + m.shop_id),
    });
  }
  if (rendered.channel === 'sms') {
    const sms = await deps.channels.sms?.(m.shop_id);
    if (!sms) throw new DeliveryError('permanent', 'no SMS provider is configured for the shop');
    // Phones stored before ingestion read them into E.164 ("600 100 200") are read here.
    const to = toE164(m.to_address!, phoneRegionOf(shop));
    if (to === null) throw new DeliveryError('permanent', 'the phone is not a valid number');
    const result = await sms.provider.send({
      to,
      from: settings.smsSender ?? sms.sender,
      text: rendered.text,
      idempotencyKey: m.id,
    });
    return {
      providerId: result.providerId,
      segments: result.segments ?? countSmsSegments(rendered.text).segments,
    };
  }
  if (rendered.channel === 'push') {
    if (!deps.channels.push) throw new DeliveryError('permanent', 'web push is not configured');
    return deps.channels.push(m.shop_id, m.customer_id!, rendered, { topic: m.id.slice(-32) });
  }
  if (!deps.channels.webhook) throw new DeliveryError('permanent', 'webhooks are not configured');
  return deps.channels.webhook(m.shop_id, m.to_address!, rendered.body, m.id);
}
