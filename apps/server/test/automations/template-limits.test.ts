import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDueMessages } from '../../src/automations/deliver-messages.ts';
import { outboxTransport } from '../../src/messaging/outbox-transport.ts';
import { renderLimits } from '../../src/messaging/render-limits.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { createTestApp, createTestShop, type TestApp } from '../support/app.ts';
import { sampleVariables } from '../messaging/fixture.ts';
import { deliveryDeps } from './support.ts';

// The audit's template (finding H2), and a Liquid loop that prints nothing for seconds. Shops
// could save such templates before the render limits, and a template whose size depends on the
// customer can pass the check on the sample customer and still go past a limit for a real one.
const AUDIT_BODY =
  '{% for i in (1..20000) %}<mj-section><mj-column><mj-divider/></mj-column></mj-section>{% endfor %}';
const LIQUID_ONLY =
  '{% for i in (1..3000) %}{% for j in (1..3000) %}{% endfor %}{% endfor %}<mj-text>x</mj-text>';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

/** The shop's own birthday e-mail, stored as it was saved before the limits. */
async function storeBirthdayEmail(shopId: string, body: string) {
  await t.db
    .insertInto('message_templates')
    .values({
      shop_id: shopId,
      template_key: 'birthday',
      channel: 'email',
      locale: 'pl',
      content: JSON.stringify({ subject: 'Sto lat', body }),
      updated_at: new Date(),
    })
    .execute();
}

/** `n` customers of a shop with one e-mail each, due `secondsAgo` seconds ago (oldest first out). */
async function queue(
  shopId: string,
  prefix: string,
  template: string,
  n: number,
  secondsAgo: number,
) {
  await sql`
    INSERT INTO customers (shop_id, id, external_id, email, first_name, accepts_email_marketing, field_times)
    SELECT ${shopId}, ${prefix} || 'cus_' || i, ${prefix} || i, ${prefix} || i || '@example.pl', 'Ala', true, '{}'
    FROM generate_series(1, ${n}) i`.execute(t.db);
  await sql`
    INSERT INTO messages (shop_id, id, send_key, customer_id, channel, purpose, template_key, locale, to_address,
                          status, not_before, created_at)
    SELECT ${shopId}, ${prefix} || 'msg_' || i, ${prefix} || 'key-' || i, ${prefix} || 'cus_' || i,
           'email', 'loyalty', ${template}, 'pl', ${prefix} || i || '@example.pl', 'queued',
           now() - make_interval(secs => ${secondsAgo}), now()
    FROM generate_series(1, ${n}) i`.execute(t.db);
}

async function statuses(prefix: string) {
  const rows = await t.db
    .selectFrom('messages')
    .select(['id', 'status', 'status_reason'])
    .where('id', 'like', `${prefix}msg_%`)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ status: r.status, reason: r.status_reason }));
}

/** An outbox that notes when each message went out, in ms since `since`. */
function timedOutbox(since: () => number) {
  const sentAt = new Map<string, number>();
  const email = outboxTransport(async (mail) => {
    sentAt.set(mail.headers!['X-Lojal-Message']!, performance.now() - since());
  });
  return { email, sentAt };
}

/** Both render workers started, so the timings below measure rendering, not thread start-up. */
async function warmRenderWorkers() {
  const shop = await createTestShop(t, 'Rozgrzewka');
  const input = {
    fields: { text: 'Cześć {{ customer.firstName }}' },
    variables: sampleVariables(),
    locale: 'pl' as const,
  };
  await Promise.all([0, 1].map(() => t.renderer.renderTexts(input, { owner: shop.id })));
}

describe('sending a template past a render limit', () => {
  it("fails the message with the reason, and the shop's and other shops' messages go out", async () => {
    const bad = await createTestShop(t, 'Sklep A');
    const good = await createTestShop(t, 'Sklep B');
    await storeBirthdayEmail(bad.id, AUDIT_BODY);
    await queue(bad.id, 'a', 'birthday', 1, 60);
    await queue(bad.id, 'b', 'welcome.thank_you', 2, 30);
    await queue(good.id, 'c', 'birthday', 3, 30);
    const { email, sentAt } = timedOutbox(() => 0);

    const report = await deliverDueMessages(t.db, systemClock, deliveryDeps(t, email));

    expect(await statuses('a')).toEqual([
      {
        status: 'failed',
        reason:
          'The "body" field comes out at more than 100,000 characters. Make it shorter or repeat less in loops.',
      },
    ]);
    for (const prefix of ['b', 'c']) {
      expect((await statuses(prefix)).every((s) => s.status === 'sent')).toBe(true);
    }
    expect(report).toMatchObject({ sent: 5, failed: 1 });
    expect(sentAt.has('amsg_1')).toBe(false);
  });

  it('fails every message of a template that runs out of time after one render, without holding up the others', async () => {
    await warmRenderWorkers();
    const slow = await createTestShop(t, 'Sklep Wolny');
    const other = await createTestShop(t, 'Sklep Inny');
    await storeBirthdayEmail(slow.id, LIQUID_ONLY);
    await queue(slow.id, 's', 'birthday', 3, 60);
    await queue(other.id, 'o', 'welcome.thank_you', 4, 30);
    let start = 0;
    const { email, sentAt } = timedOutbox(() => start);

    start = performance.now();
    await deliverDueMessages(t.db, systemClock, deliveryDeps(t, email));
    const total = performance.now() - start;

    const reason =
      'The template takes longer than 2 seconds to fill in (a loop that runs too many times?). Simplify it.';
    expect(await statuses('s')).toEqual(Array(3).fill({ status: 'failed', reason }));
    expect((await statuses('o')).map((s) => s.status)).toEqual(Array(4).fill('sent'));
    // The other shop's messages went out while the slow template still had time left; the
    // slow template's time was spent once, not once per message.
    expect(Math.max(...sentAt.values())).toBeLessThan(renderLimits.liquidMs);
    expect(total).toBeGreaterThanOrEqual(renderLimits.liquidMs);
    expect(total).toBeLessThan(2 * renderLimits.liquidMs);
  });
});
