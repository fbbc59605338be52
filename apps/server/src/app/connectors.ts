import type { Platform, PlatformConnector } from '../connections/connector.ts';
import { shopifyConnector } from '../platforms/shopify/connector.ts';

/**
 * Every shop platform Lojal connects to, by name (connections/connector.ts says what each does;
 * facts in ../shared/INTEGRATIONS.md). A platform missing here cannot be connected yet.
 */
export const CONNECTORS: Partial<Record<Platform, PlatformConnector>> = {
  shopify: shopifyConnector as PlatformConnector,
};
