import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';

/**
 * The .myshopify.com address of the shop's Shopify connection (its settings, not secret), or
 * null. It binds deliveries signed with the App Store app's one client secret to this Lojal
 * shop: without it, a delivery another shop's install signed would be accepted here too.
 */
export async function shopifyDomainOf(db: Db, shopId: string): Promise<string | null> {
  const { rows } = await sql<{ domain: string | null }>`
    SELECT settings->>'shopDomain' AS domain FROM connections
    WHERE shop_id = ${shopId} AND platform = 'shopify'`.execute(db);
  const domain = rows[0]?.domain;
  return typeof domain === 'string' && domain !== '' ? domain.toLowerCase() : null;
}

/** Topics Shopify sends for privacy law compliance; each names its shop in the signed body. */
export const SHOPIFY_COMPLIANCE_TOPICS = new Set([
  'customers/data_request',
  'customers/redact',
  'shop/redact',
]);
