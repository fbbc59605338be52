import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import { newId } from '../shared/ids.ts';
import { addDays } from '../shared/zoned-time.ts';
import { findReferralCode } from './ensure-referral-codes.ts';
import { deliveredToReferrer } from './delivery-address.ts';
import { fraudReasons, fraudVerdict, type FraudReason } from './fraud-checks.ts';
import { giveReferralRewards } from './give-referral-rewards.ts';
import { activeCampaign } from './manage-referral-campaigns.ts';

export interface AttributionClaim {
  friendId: string;
  /** The referral code (from the order, the signup form, or the link visit). */
  code: string;
  source: 'code' | 'link' | 'signup';
  visit?: { id: string; at: Date; address: string | null; userAgent: string | null } | null;
  client?: { address: string; userAgent: string } | null;
  at: Date;
  /** The order that carries the code: it does not count as an earlier purchase. */
  orderId?: string | null;
}

export type AttributionResult =
  | { attributed: true; referralId: string; status: string; reasons: FraudReason[] }
  | { attributed: false; reason: string };

/**
 * Ties a friend to the referrer of a code: checks the campaign and the attribution window,
 * keeps the first or the last touch as the campaign says, judges the referral (fraud checks),
 * and gives the signup ("lead") reward when it passes. Runs in the caller's transaction.
 */
export async function attributeReferral(
  tx: Tx,
  shop: { id: string; currency: string },
  claim: AttributionClaim,
): Promise<AttributionResult> {
  const owner = await findReferralCode(tx, shop.id, claim.code);
  if (!owner) return { attributed: false, reason: 'unknown_code' };
  const touchedAt = claim.visit?.at ?? claim.at;
  const campaign = await activeCampaign(tx, shop.id, touchedAt);
  if (!campaign) return { attributed: false, reason: 'no_active_campaign' };
  const settings = campaign.settings;
  if (claim.visit && claim.at > addDays(claim.visit.at, settings.attributionWindowDays)) {
    return { attributed: false, reason: 'attribution_window_passed' };
  }

  const existing = await tx
    .selectFrom('referrals')
    .select(['id', 'status', 'referrer_customer_id'])
    .where('shop_id', '=', shop.id)
    .where('friend_customer_id', '=', claim.friendId)
    .forUpdate()
    .executeTakeFirst();
  if (existing) {
    const replaceable =
      settings.attribution === 'last_touch' &&
      existing.referrer_customer_id !== owner.customerId &&
      existing.status === 'signed_up' &&
      !(await hasRewards(tx, shop.id, existing.id));
    if (!replaceable) return { attributed: false, reason: 'already_referred' };
    await tx
      .deleteFrom('referrals')
      .where('shop_id', '=', shop.id)
      .where('id', '=', existing.id)
      .execute();
  }

  const client =
    claim.client ??
    (claim.visit?.address && claim.visit.userAgent
      ? { address: claim.visit.address, userAgent: claim.visit.userAgent }
      : null);
  const facts = await gatherFacts(tx, shop.id, owner.customerId, claim, client, settings.fraud);
  const reasons = fraudReasons(facts, settings);
  const { verdict, score } = fraudVerdict(reasons, settings);
  const id = newId('ref');
  const status = verdict === 'reject' ? 'rejected' : verdict === 'flag' ? 'flagged' : 'signed_up';
  const inserted = await tx
    .insertInto('referrals')
    .values({
      shop_id: shop.id,
      id,
      campaign_id: campaign.id,
      referrer_customer_id: owner.customerId,
      friend_customer_id: claim.friendId,
      code: owner.code,
      source: claim.source,
      visit_id: claim.visit?.id ?? null,
      client_address: client?.address ?? null,
      user_agent: client?.userAgent ?? null,
      status,
      held_status: verdict === 'flag' ? 'signed_up' : null,
      reasons: JSON.stringify(reasons),
      risk_score: score,
      review_note: null,
      order_id: null,
      order_total: null,
      due_at: null,
      clicked_at: claim.visit?.at ?? null,
      signed_up_at: claim.at,
      rejected_at: verdict === 'reject' ? claim.at : null,
      flagged_at: verdict === 'flag' ? claim.at : null,
      created_at: claim.at,
      // The referral keeps the terms it was made under, whatever later edits say.
      terms: JSON.stringify(settings),
    })
    // Two claims for one friend at once (a link and a code): the first one wins.
    .onConflict((oc) => oc.columns(['shop_id', 'friend_customer_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return { attributed: false, reason: 'already_referred' };
  if (client) {
    await tx
      .insertInto('referral_sightings')
      .values({
        shop_id: shop.id,
        customer_id: claim.friendId,
        client_address: client.address,
        user_agent: client.userAgent,
        seen_at: claim.at,
      })
      .execute();
  }
  if (verdict === 'pass') {
    await giveReferralRewards(
      tx,
      shop,
      [
        {
          referralId: id,
          stage: 'lead',
          referrerId: owner.customerId,
          friendId: claim.friendId,
          campaign,
        },
      ],
      claim.at,
    );
  }
  return { attributed: true, referralId: id, status, reasons };
}

async function hasRewards(tx: Tx, shopId: string, referralId: string): Promise<boolean> {
  const row = await tx
    .selectFrom('referral_rewards')
    .select('referral_id')
    .where('shop_id', '=', shopId)
    .where('referral_id', '=', referralId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Everything the fraud checks need, in a few reads. */
async function gatherFacts(
  tx: Tx,
  shopId: string,
  referrerId: string,
  claim: AttributionClaim,
  client: { address: string; userAgent: string } | null,
  fraud: { sameClientHours: number; leakedCodeHours: number },
) {
  const people = await tx
    .selectFrom('customers')
    .select(['id', 'email', 'phone'])
    .where('shop_id', '=', shopId)
    .where('id', 'in', [referrerId, claim.friendId])
    .execute();
  const person = (id: string) => {
    const p = people.find((x) => x.id === id);
    return { customerId: id, email: p?.email ?? null, phone: p?.phone ?? null };
  };
  const earlier = await tx
    .selectFrom('orders')
    .select('id')
    .where('shop_id', '=', shopId)
    .where('customer_id', '=', claim.friendId)
    .where('paid_at', 'is not', null)
    .where('paid_at', '<=', claim.at)
    .where('id', '!=', claim.orderId ?? '')
    .limit(1)
    .executeTakeFirst();
  const sightings = await tx
    .selectFrom('referral_sightings')
    .select(['client_address', 'user_agent'])
    .where('shop_id', '=', shopId)
    .where('customer_id', '=', referrerId)
    .where('seen_at', '>=', new Date(claim.at.getTime() - fraud.sameClientHours * 3_600_000))
    .execute();
  const order = claim.orderId
    ? await tx
        .selectFrom('orders')
        .select('shipping_address')
        .where('shop_id', '=', shopId)
        .where('id', '=', claim.orderId)
        .executeTakeFirst()
    : undefined;
  const weekAgo = addDays(claim.at, -7);
  const { rows } = await sql<{ from_address: number; friends_of_code: number }>`
    SELECT
      (SELECT count(*) FROM referrals WHERE shop_id = ${shopId}
         AND client_address = ${client?.address ?? null}::text AND created_at >= ${weekAgo}
         AND friend_customer_id <> ${claim.friendId})::int AS from_address,
      (SELECT count(DISTINCT friend_customer_id) FROM referrals WHERE shop_id = ${shopId}
         AND referrer_customer_id = ${referrerId}
         AND created_at >= ${new Date(claim.at.getTime() - fraud.leakedCodeHours * 3_600_000)}
         AND friend_customer_id <> ${claim.friendId})::int AS friends_of_code`.execute(tx);
  return {
    referrer: person(referrerId),
    friend: person(claim.friendId),
    friendHadPaidOrder: earlier !== undefined,
    friendClient: client,
    referrerClients: sightings.map((s) => ({ address: s.client_address, userAgent: s.user_agent })),
    referralsFromAddressThisWeek: rows[0]!.from_address,
    friendsOfCodeRecently: rows[0]!.friends_of_code + 1,
    sameDeliveryAddress: await deliveredToReferrer(
      tx,
      shopId,
      referrerId,
      order?.shipping_address ?? null,
    ),
  };
}
