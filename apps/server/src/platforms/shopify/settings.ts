import { z } from 'zod';

/** The API version Lojal's documents are written for; Shopify supports each for ≥ 12 months. */
export const SHOPIFY_API_VERSION = '2025-07';

/** The Admin API access token of the shop's custom app (or of the App Store app's install). */
export const shopifyCredentialsSchema = z
  .object({
    accessToken: z
      .string()
      .trim()
      .min(10, 'the Admin API access token is the shpat_… value shown once in the app')
      .max(255),
  })
  .strict();

export const shopifyDomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/,
    "the shop's permanent address ending in .myshopify.com (not its own domain)",
  );

export const shopifySettingsSchema = z
  .object({
    /** `kawa-shop.myshopify.com`: also what binds the shop's webhook deliveries to it. */
    shopDomain: shopifyDomainSchema,
    apiVersion: z
      .string()
      .regex(/^\d{4}-(01|04|07|10)$/, 'a quarterly version such as 2025-07')
      .default(SHOPIFY_API_VERSION),
    /** Where the Admin API answers instead of https://{shopDomain}: tests reach the fake with it. */
    apiBaseUrl: z.url().optional(),
  })
  .strict();

export type ShopifyCredentials = z.infer<typeof shopifyCredentialsSchema>;
export type ShopifySettings = z.infer<typeof shopifySettingsSchema>;

export function graphqlUrl(settings: ShopifySettings): string {
  const base = (settings.apiBaseUrl ?? `https://${settings.shopDomain}`).replace(/\/+$/, '');
  return `${base}/admin/api/${settings.apiVersion}/graphql.json`;
}
