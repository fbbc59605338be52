import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';
import { consentAllows } from '../automations/consent.ts';
import { customerFactsQuery, ruleToSql, ruleUsesFact } from '../segments/customer-facts-query.ts';
import type { SegmentRule } from '../segments/segment-rules.ts';
import { phoneRegionOf } from '../shared/phone.ts';
import { toCsv } from '../shared/to-csv.ts';
import {
  normaliseEmail,
  normalisePhone,
  type AudienceDestination,
  type AudiencePerson,
} from './audience-destinations.ts';

const BATCH = 2000;

interface MemberRow {
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  accepts_email_marketing: boolean | null;
  accepts_sms_marketing: boolean | null;
  email_consent: boolean | null;
  sms_consent: boolean | null;
  email_suppressed: boolean;
  sms_suppressed: boolean;
  address: { city?: string; postalCode?: string; country?: string } | null;
}

/**
 * A segment's members as one ad platform's customer file, written to `out` a batch at a time
 * (a cursor: memory stays flat however big the segment). Only what the person agreed to be
 * marketed on goes in: the e-mail with e-mail marketing consent, the phone with SMS marketing
 * consent (the same rule as the messages: the recorded answer, or without one the platform's
 * "accepts marketing"), never an address on the complaint or STOP list, and never an erased
 * customer. A person with neither is left out; names and address travel only with them.
 */
export async function writeAudience(
  db: Db,
  shop: ShopRow,
  rules: SegmentRule,
  destination: AudienceDestination,
  out: Writable,
  now: Date,
): Promise<{ rows: number; members: number }> {
  const region = phoneRegionOf(shop);
  const header = toCsv(destination.header, []);
  let rows = 0;
  let members = 0;
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  // No byte order mark: the platforms' own templates have none.
  await write(header);
  await db.transaction().execute(async (tx) => {
    await sql`DECLARE audience NO SCROLL CURSOR FOR
      SELECT c.email, c.phone, c.first_name, c.last_name,
             c.accepts_email_marketing, c.accepts_sms_marketing,
             (SELECT k.granted FROM consents k WHERE k.shop_id = c.shop_id AND k.customer_id = c.id
                AND k.channel = 'email' AND k.purpose = 'marketing') AS email_consent,
             (SELECT k.granted FROM consents k WHERE k.shop_id = c.shop_id AND k.customer_id = c.id
                AND k.channel = 'sms' AND k.purpose = 'marketing') AS sms_consent,
             EXISTS (SELECT 1 FROM suppressions s WHERE s.shop_id = c.shop_id AND s.channel = 'email'
                AND s.address = c.email AND s.reason IN ('complained', 'stop')) AS email_suppressed,
             EXISTS (SELECT 1 FROM suppressions s WHERE s.shop_id = c.shop_id AND s.channel = 'sms'
                AND s.address = c.phone AND s.reason IN ('complained', 'stop')) AS sms_suppressed,
             (SELECT o.shipping_address FROM orders o
               WHERE o.shop_id = c.shop_id AND o.customer_id = c.id AND o.shipping_address IS NOT NULL
               ORDER BY o.placed_at DESC LIMIT 1) AS address
      FROM (${customerFactsQuery(shop.id, shop.timezone, now, {
        categories: ruleUsesFact(rules, 'categories_bought'),
      })}) f
      JOIN customers c ON c.shop_id = ${shop.id} AND c.id = f.id
      WHERE ${ruleToSql(rules)} AND c.redacted_at IS NULL
      ORDER BY c.id`.execute(tx);
    for (;;) {
      const { rows: batch } =
        await sql<MemberRow>`FETCH ${sql.raw(String(BATCH))} FROM audience`.execute(tx);
      if (batch.length === 0) break;
      members += batch.length;
      const lines: string[][] = [];
      for (const member of batch) {
        const line = destination.row(personOf(member, region));
        if (line) lines.push(line);
      }
      rows += lines.length;
      if (lines.length) await write(toCsv(destination.header, lines).slice(header.length));
    }
  });
  return { rows, members };
}

function personOf(m: MemberRow, region: ReturnType<typeof phoneRegionOf>): AudiencePerson {
  const mayEmail =
    !m.email_suppressed &&
    consentAllows({
      channel: 'email',
      purpose: 'marketing',
      recorded: m.email_consent ?? undefined,
      acceptsEmailMarketing: m.accepts_email_marketing,
      acceptsSmsMarketing: m.accepts_sms_marketing,
    });
  const maySms =
    !m.sms_suppressed &&
    consentAllows({
      channel: 'sms',
      purpose: 'marketing',
      recorded: m.sms_consent ?? undefined,
      acceptsEmailMarketing: m.accepts_email_marketing,
      acceptsSmsMarketing: m.accepts_sms_marketing,
    });
  const email = mayEmail ? normaliseEmail(m.email) : null;
  const phone = maySms ? normalisePhone(m.phone, region) : null;
  const country = m.address?.country?.trim();
  return {
    email,
    phone,
    firstName: m.first_name,
    lastName: m.last_name,
    city: m.address?.city ?? null,
    zip: m.address?.postalCode ?? null,
    country: country && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : null,
  };
}
