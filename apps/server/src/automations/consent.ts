import type { Kysely } from 'kysely';
import type {
  ConsentChannel,
  ConsentPurpose,
  ConsentEventsTable,
  Database,
  StorefrontConsent,
} from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { notLaterThan } from '../shared/client-time.ts';
import { newId } from '../shared/ids.ts';

export interface ConsentChange {
  shopId: string;
  customerId: string;
  /** A messaging channel and purpose, or the storefront's social-proof name consent. */
  channel: ConsentChannel | StorefrontConsent['channel'];
  purpose: ConsentPurpose | StorefrontConsent['purpose'];
  granted: boolean;
  source: ConsentEventsTable['source'];
  textShown?: string | null;
  clientAddress?: string | null;
  userAgent?: string | null;
  messageId?: string | null;
  /** The page the answer was given on (a pop-up's). */
  page?: string | null;
  /** When the person gave the answer; now unless the caller knows better. Never later than now. */
  at?: Date;
  /**
   * The person themself said no, to Lojal directly (unsubscribe, preferences page, STOP, a spam
   * complaint) rather than through the shop: such a withdrawal always becomes the current answer.
   */
  bySubject?: boolean;
}

/** Sources where the answer comes straight from the person, never through the shop. */
const SUBJECT_SOURCES: ReadonlySet<ConsentEventsTable['source']> = new Set([
  'preferences_page',
  'unsubscribe_link',
  'list_unsubscribe',
  'sms_stop',
  'storefront',
]);

/**
 * Records a consent answer with its proof and makes it the current one, unless a later answer
 * is already on record (answers arriving out of order keep the latest; on a tie of times, the
 * one received last). A time ahead of ours counts as now, and a current answer dated after now
 * is not trusted to outrank anything. A withdrawal by the person themself always wins
 * (GDPR art. 7(3): withdrawing must be as easy as giving consent).
 */
export async function recordConsent(
  db: Kysely<Database>,
  clock: Clock,
  change: ConsentChange,
): Promise<{ eventId: string }> {
  const now = clock.now();
  const at = notLaterThan(change.at ?? now, now);
  const subjectWithdraws =
    !change.granted && (change.bySubject === true || SUBJECT_SOURCES.has(change.source));
  const eventId = newId('cns');
  await db
    .insertInto('consent_events')
    .values({
      shop_id: change.shopId,
      id: eventId,
      customer_id: change.customerId,
      channel: change.channel,
      purpose: change.purpose,
      granted: change.granted,
      source: change.source,
      text_shown: change.textShown ?? null,
      client_address: change.clientAddress ?? null,
      user_agent: change.userAgent ?? null,
      message_id: change.messageId ?? null,
      page: change.page ?? null,
      occurred_at: at,
    })
    .execute();
  await db
    .insertInto('consents')
    .values({
      shop_id: change.shopId,
      customer_id: change.customerId,
      channel: change.channel,
      purpose: change.purpose,
      granted: change.granted,
      changed_at: at,
      event_id: eventId,
    })
    .onConflict((oc) =>
      oc
        .columns(['shop_id', 'customer_id', 'channel', 'purpose'])
        .doUpdateSet((eb) => ({
          granted: eb.ref('excluded.granted'),
          changed_at: eb.ref('excluded.changed_at'),
          event_id: eb.ref('excluded.event_id'),
        }))
        .where((eb) =>
          subjectWithdraws
            ? eb.lit(true)
            : eb.or([eb('consents.changed_at', '<=', at), eb('consents.changed_at', '>', now)]),
        ),
    )
    .execute();
  return { eventId };
}

/**
 * Whether a customer may get a message of this purpose on this channel, from their recorded
 * answer or, without one, the default: marketing and feedback need a yes (for e-mail and SMS,
 * the shop platform's "accepts marketing"; for push, the browser permission a subscription
 * is); loyalty notices go unless refused; transactional messages need no consent.
 */
export function consentAllows(input: {
  channel: ConsentChannel;
  purpose: ConsentPurpose | 'transactional';
  recorded: boolean | undefined;
  acceptsEmailMarketing: boolean | null;
  acceptsSmsMarketing: boolean | null;
}): boolean {
  if (input.purpose === 'transactional') return true;
  if (input.recorded !== undefined) return input.recorded;
  if (input.purpose === 'loyalty') return true;
  if (input.channel === 'email') return input.acceptsEmailMarketing === true;
  if (input.channel === 'sms') return input.acceptsSmsMarketing === true;
  return true;
}
