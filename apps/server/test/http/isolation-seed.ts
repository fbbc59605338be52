import { localDay } from '../../src/shared/zoned-time.ts';
import { runExportJob } from '../../src/exports/export-jobs.ts';
import { sql } from 'kysely';
import { expect } from 'vitest';
import { bearer, type TestApp } from '../support/app.ts';
import { linkTokenFor } from '../support/accounts.ts';
import { send, orderPaid } from '../points/support.ts';
import { runAutomationRound } from '../../src/automations/run-automation-round.ts';
import { databaseOutbox } from '../../src/automations/message-channels.ts';
import { deliveryDeps } from '../automations/support.ts';
import { silverAndGold } from '../tiers/support.ts';
import { coffeeCard } from '../stamps/support.ts';

export type Shop = { id: string; apiKey: string };

/** One object of every kind a path parameter can name, made through the API (prefix: a or b). */
export interface Seeded {
  shop: Shop;
  dataExport: string;
  prefix: string;
  customer: string;
  friend: string;
  order: string;
  event: string;
  reward: string;
  segment: string;
  /** A whole-shop export and an audience file of the segment (exports/). */
  export: string;
  audience: string;
  couponCampaign: string;
  achievement: string;
  giftCard: string;
  giftCardSpend: string;
  task: string;
  note: string;
  tier: string;
  stampCard: string;
  staff: string;
  staffToken: string;
  apiKey: string;
  referralCampaign: string;
  referral: string;
  affiliate: string;
  webhookEndpoint: string;
  flow: string;
  message: string;
  review: string;
  popup: string;
  /** A dry-run import of a small customers file. */
  importJob: string;
  product: string;
  connection: string;
  pushEndpoint: string;
  /** A person in the shop's team, and an invitation still pending. */
  member: string;
  invitation: string;
  /** Text only this shop has (its e-mail addresses, names, codes): another shop must not see it. */
  markers: string[];
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export async function api(t: TestApp, shop: Shop, method: Method, url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: bearer(shop.apiKey),
    ...(payload !== undefined && { payload: payload as object }),
  });
}

async function created(
  t: TestApp,
  shop: Shop,
  method: Method,
  url: string,
  payload?: unknown,
): Promise<Record<string, unknown>> {
  const res = await api(t, shop, method, url, payload);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json();
}

export const pushKeys = {
  p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]).toString('base64url'),
  auth: Buffer.alloc(16, 1).toString('base64url'),
};

/** Seeds one shop; ids and external ids carry the prefix so that two shops never share one. */
export async function seedShop(t: TestApp, shop: Shop, prefix: string): Promise<Seeded> {
  const p = prefix;
  const now = new Date(t.clock.now().getTime() - 60_000).toISOString();
  const customer = `${p}-kasia`;
  const friend = `${p}-basia`;
  const email = `${p}-kasia-isolation@example.pl`;
  const order = `${p}-order-1`;
  const product = `${p}-kubek`;

  const customerEvent = await created(t, shop, 'POST', '/v1/events', {
    type: 'customer.created',
    id: `c-${customer}`,
    occurredAt: now,
    data: {
      id: customer,
      email,
      firstName: `${p.toUpperCase()}-Katarzyna`,
      acceptsMarketing: { email: true },
    },
  });
  await send(
    t,
    shop,
    orderPaid(order, customer, now, {
      total: 20_000,
      lines: [{ productId: product, quantity: 1, price: 20_000 }],
    }),
  );
  const event = String(customerEvent.eventId);

  await created(t, shop, 'PUT', '/v1/tiers', silverAndGold);
  const tier = silverAndGold.tiers[0]!.id;
  const reward = await created(t, shop, 'POST', '/v1/rewards', {
    name: `${p}-Rabat izolacji`,
    kind: 'fixed_discount',
    amount: 500,
    pointsCost: 10,
  });
  const segment = await created(t, shop, 'POST', '/v1/segments', {
    name: `${p}-Segment izolacji`,
    rules: { fact: 'orders_count', op: 'gte', value: 1 },
  });
  const shopExport = await created(t, shop, 'POST', '/v1/exports', { format: 'csv' });
  const audience = await created(t, shop, 'POST', `/v1/segments/${String(segment.id)}/audiences`, {
    platform: 'meta',
  });
  // Made now (no worker runs here), so shop A's own downloads answer 200.
  for (const made of [shopExport, audience]) {
    await runExportJob(t.pool, t.db, t.clock, { shopId: shop.id, exportId: String(made.id) });
  }
  const couponCampaign = await created(t, shop, 'POST', '/v1/coupon-campaigns', {
    name: `${p}-Kampania izolacji`,
    code: `${p.toUpperCase()}ISOLATION`,
    discount: { kind: 'free_shipping' },
  });
  const achievement = await created(t, shop, 'POST', '/v1/achievements', {
    name: `${p}-Odznaka izolacji`,
    condition: { kind: 'orders_count', threshold: 5 },
  });
  const giftCard = await created(t, shop, 'POST', '/v1/gift-cards', {
    amount: 5000,
    currency: 'PLN',
  });
  const giftCardCode = String(giftCard.code);
  const spend = await created(t, shop, 'POST', `/v1/gift-cards/${giftCardCode}/spends`, {
    amount: 100,
    currency: 'PLN',
    orderId: order,
  });
  const task = await created(t, shop, 'POST', `/v1/customers/${customer}/tasks`, {
    title: `${p}-Zadzwoń do klientki`,
  });
  const note = await created(t, shop, 'POST', `/v1/customers/${customer}/notes`, {
    body: `${p}-notatka izolacji`,
  });
  const stampCard = await created(t, shop, 'POST', '/v1/stamp-cards', {
    ...coffeeCard,
    name: `${p}-Karta kawowa`,
  });
  const staff = await created(t, shop, 'POST', '/v1/staff', { name: `${p}-Ola` });
  const apiKey = await created(t, shop, 'POST', '/v1/api-keys', { label: `${p}-druga` });

  await created(t, shop, 'PUT', '/v1/referrals/storefront', {
    storefrontUrl: `https://${p}-sklep.example.pl/`,
  });
  const referralCampaign = await created(t, shop, 'POST', '/v1/referral-campaigns', {
    name: `${p}-Poleć znajomym`,
    settings: { main: { referrer: { kind: 'points', points: 100 } } },
  });
  await send(t, shop, {
    type: 'customer.created',
    id: `c-${friend}`,
    occurredAt: now,
    data: { id: friend, email: `${p}-basia-isolation@example.pl` },
  });
  const referrer = await created(t, shop, 'GET', `/v1/customers/${customer}`);
  const attribution = await created(t, shop, 'POST', '/v1/referrals/attributions', {
    customerId: friend,
    code: referrer.referralCode,
  });
  expect(attribution, 'the seeded referral').toMatchObject({ attributed: true });
  const affiliate = await created(t, shop, 'POST', '/v1/affiliates', {
    name: `${p}-Blog`,
    code: `${p}isolation`,
    commissionPercent: 10,
  });
  const webhookEndpoint = await created(t, shop, 'POST', '/v1/webhook-endpoints', {
    url: `https://93.184.215.14/${p}-hooks`,
  });
  const flow = await created(t, shop, 'POST', '/v1/flows', {
    name: `${p}-Przepływ izolacji`,
    definition: {
      trigger: { type: 'order.paid' },
      steps: [{ id: 'a', type: 'task', title: `${p}-zadanie z przepływu` }],
    },
  });
  const review = await created(t, shop, 'POST', '/v1/reviews', {
    customerId: customer,
    productId: product,
    rating: 5,
    body: `${p}-opinia izolacji`,
  });
  const popup = await created(t, shop, 'POST', '/v1/popups', {
    name: `${p}-Pop-up izolacji`,
    kind: 'newsletter',
    variants: [
      {
        id: 'a',
        content: {
          pl: { title: `${p}-Zapisz się`, consentText: `${p}-zgoda izolacji`, button: 'OK' },
        },
      },
    ],
    triggers: { exitIntent: true },
    welcomeCoupon: { campaignId: String(couponCampaign.id) },
  });
  const importJob = await t.app.inject({
    method: 'POST',
    url: `/v1/imports?kind=customers&dryRun=true&fileName=${p}-klienci.csv`,
    headers: { ...bearer(shop.apiKey), 'content-type': 'text/csv' },
    payload: `customer_id,email\n${p}-imported,${p}-imported@example.pl\n`,
  });
  expect(importJob.statusCode, importJob.body).toBe(202);
  const pushEndpoint = `https://push.example.com/${p}-sub`;
  await created(t, shop, 'POST', `/v1/customers/${customer}/push-subscriptions`, {
    endpoint: pushEndpoint,
    keys: pushKeys,
  });
  await created(t, shop, 'POST', '/v1/messaging/push-keys');
  await created(t, shop, 'PUT', '/v1/messaging/templates/birthday/sms/pl', {
    text: `${p}-Sto lat od sklepu izolacji`,
  });
  await created(t, shop, 'PUT', `/v1/customers/${customer}/referrals/share-messages/sms`, {
    text: `${p}-Łap rabat od sklepu izolacji: {link}`,
  });
  await t.processor.drain();
  // The welcome series' day-0 e-mail, kept in the outbox (no SMTP_URL): a message and a mail.
  await runAutomationRound(t.db, t.clock, deliveryDeps(t, databaseOutbox(t.db, t.clock)));
  const mails = (await created(t, shop, 'GET', '/v1/outbox')).mails as Array<{
    messageId: string;
  }>;
  expect(mails, 'the welcome e-mail in the outbox').toHaveLength(1);
  const message = mails[0]!.messageId;
  // A CLV model (three customers with orders, some bought again), for a predicted value.
  const daysAgo = (days: number) =>
    new Date(t.clock.now().getTime() - days * 86_400_000).toISOString();
  await send(
    t,
    shop,
    orderPaid(`${p}-order-0`, customer, daysAgo(40), { total: 9_000 }),
    orderPaid(`${p}-order-4`, `${p}-cela`, daysAgo(20), { total: 3_000 }),
    orderPaid(`${p}-order-2`, friend, now, { total: 5_000 }),
    orderPaid(`${p}-order-3`, `${p}-cela`, now, { total: 7_000 }),
  );
  await created(t, shop, 'POST', '/v1/analytics/clv/fit', {
    // The shop's own day (Warsaw), which is not always the UTC day of the orders just sent.
    calibrationEnd: localDay(t.clock.now(), 'Europe/Warsaw'),
  });

  // The team: one person who accepted an invitation, and one invitation still open.
  const memberEmail = `${p}-czlonek-izolacji@example.pl`;
  await created(t, shop, 'POST', '/v1/team/invitations', { email: memberEmail, role: 'analyst' });
  const accepted = await t.app.inject({
    method: 'POST',
    url: '/v1/invitations/accept',
    payload: {
      token: await linkTokenFor(t, memberEmail),
      password: 'hasło izolacji 123',
      name: `${p}-Członek zespołu`,
    },
  });
  expect(accepted.statusCode, accepted.body).toBe(200);
  const member = String(accepted.json().user.id);
  const invitation = await created(t, shop, 'POST', '/v1/team/invitations', {
    email: `${p}-zaproszona-izolacji@example.pl`,
    role: 'support',
  });

  const referral = await t.db
    .selectFrom('referrals')
    .select('id')
    .where('shop_id', '=', shop.id)
    .executeTakeFirstOrThrow();

  // A connection as POST /v1/connections stores it, without calling a platform.
  const connection = `con_${p}iso`;
  await t.db
    .insertInto('connections')
    .values({
      shop_id: shop.id,
      id: connection,
      platform: 'shoper',
      settings: JSON.stringify({ shopUrl: `https://${p}.shoparena.pl` }),
      credentials: t.box.seal(JSON.stringify({ user: 'lojal', password: `${p}-secret` })),
      hook_token_hash: Buffer.alloc(32, 1),
      sync_since: t.clock.now(),
    })
    .execute();

  // A stored answer to a data request (GET /v1/customers/:customerId/data-exports/:exportId).
  const dataExport = `cdx_${p}`;
  await t.db
    .insertInto('customer_data_exports')
    .values({
      shop_id: shop.id,
      id: dataExport,
      customer_id: (
        await t.db
          .selectFrom('customers')
          .select('id')
          .where('shop_id', '=', shop.id)
          .where('external_id', '=', customer)
          .executeTakeFirstOrThrow()
      ).id,
      source: 'shopify.data_request',
      request_ref: null,
      export: JSON.stringify({
        exportedAt: '2026-12-01T00:00:00.000Z',
        shop: { id: shop.id, name: 'x' },
        customerId: customer,
        data: [],
      }),
      created_at: new Date('2026-12-01T00:00:00Z'),
    })
    .execute();

  const seeded: Seeded = {
    shop,
    dataExport,
    connection,
    prefix: p,
    customer,
    friend,
    order,
    event,
    reward: String(reward.id),
    segment: String(segment.id),
    export: String(shopExport.id),
    audience: String(audience.id),
    couponCampaign: String(couponCampaign.id),
    achievement: String(achievement.id),
    giftCard: giftCardCode,
    giftCardSpend: String(spend.spendId),
    task: String(task.id),
    note: String(note.id),
    tier,
    stampCard: String(stampCard.id),
    staff: String(staff.id),
    staffToken: String(staff.token),
    apiKey: String(apiKey.id),
    referralCampaign: String(referralCampaign.id),
    referral: referral.id,
    affiliate: String(affiliate.id),
    webhookEndpoint: String(webhookEndpoint.id),
    flow: String(flow.id),
    message,
    review: String(review.id),
    popup: String(popup.id),
    importJob: String(importJob.json().id),
    product,
    pushEndpoint,
    member,
    invitation: String(invitation.id),
    markers: [
      memberEmail,
      shop.id,
      email,
      `${p}-basia-isolation@example.pl`,
      `${p.toUpperCase()}-Katarzyna`,
      `${p}-kasia`,
      `${p}-basia`,
      `${p}-order-1`,
      `${p}-kubek`,
      `${p}-sklep.example.pl`,
      `${p}-hooks`,
      `${p}-sub`,
      `${p.toUpperCase()}ISOLATION`,
      `${p}isolation`.toUpperCase(),
      `${p}-Rabat izolacji`,
      `${p}-Segment izolacji`,
      `${p}-Kampania izolacji`,
      `${p}-Pop-up izolacji`,
      `${p}-zgoda izolacji`,
      `${p}-Odznaka izolacji`,
      `${p}-Zadzwoń do klientki`,
      `${p}-notatka izolacji`,
      `${p}-Karta kawowa`,
      `${p}-Ola`,
      `${p}-druga`,
      `${p}-Poleć znajomym`,
      `${p}-Blog`,
      `${p}-Przepływ izolacji`,
      `${p}-opinia izolacji`,
      `${p}-Sto lat od sklepu izolacji`,
      `${p}-Łap rabat od sklepu izolacji`,
      String(referrer.referralCode),
      giftCardCode,
    ],
  };
  for (const [name, value] of Object.entries(seeded)) {
    for (const v of [value].flat()) {
      if (typeof v === 'string') expect(v, `seeded ${name}`).toMatch(/^(?!undefined$|null$)./);
    }
  }
  return seeded;
}

/**
 * A fingerprint of everything one shop holds: per table, a hash of the shop's rows. Two equal
 * fingerprints mean no row of the shop was added, changed or removed in between.
 */
export async function shopState(t: TestApp, shopId: string): Promise<Record<string, string>> {
  const tables = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.columns
    WHERE table_schema = 'public' AND column_name = 'shop_id' ORDER BY table_name`.execute(t.db);
  const parts = tables.rows.map(
    ({ table_name: name }) =>
      sql`SELECT ${name}::text AS name, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS hash
          FROM ${sql.table(name)} x WHERE x.shop_id = ${shopId}`,
  );
  parts.push(
    sql`SELECT 'shops' AS name, md5(coalesce(string_agg(x::text, '|'), '')) AS hash
        FROM shops x WHERE x.id = ${shopId}`,
  );
  const { rows } = await sql<{
    name: string;
    hash: string;
  }>`${sql.join(parts, sql` UNION ALL `)}`.execute(t.db);
  return Object.fromEntries(rows.map((r) => [r.name, r.hash]));
}

/** The tables whose rows of the shop differ between two fingerprints. */
export function changedTables(before: Record<string, string>, after: Record<string, string>) {
  return Object.keys({ ...before, ...after }).filter((k) => before[k] !== after[k]);
}
