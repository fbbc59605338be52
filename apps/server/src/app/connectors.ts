import type { Platform, PlatformConnector } from '../connections/connector.ts';
import { prestashopConnector } from '../platforms/prestashop/connector.ts';
import { woocommerceConnector } from '../platforms/woocommerce/connector.ts';

/**
 * Every shop platform Lojal connects to, by name (connections/connector.ts says what each does;
 * facts in ../shared/INTEGRATIONS.md). A platform missing here cannot be connected yet.
 */
export const CONNECTORS: Partial<Record<Platform, PlatformConnector>> = {
  woocommerce: woocommerceConnector as PlatformConnector,
  prestashop: prestashopConnector as PlatformConnector,
};
