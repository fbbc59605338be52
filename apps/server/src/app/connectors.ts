import type { Platform, PlatformConnector } from '../connections/connector.ts';
import { shopifyConnector } from '../platforms/shopify/connector.ts';
import { publicOutbound, type OutboundPolicy } from '../messaging/outbound-url.ts';
import { shoperConnector } from '../platforms/shoper/connector.ts';
import { idosellConnector } from '../platforms/idosell/connector.ts';
import { baselinkerConnector } from '../platforms/baselinker/connector.ts';
import { dotykackaConnector } from '../platforms/dotykacka/connector.ts';
import { prestashopConnector } from '../platforms/prestashop/connector.ts';
import { woocommerceConnector } from '../platforms/woocommerce/connector.ts';

/**
 * Every shop platform Lojal connects to, by name (connections/connector.ts says what each does;
 * facts in ../shared/INTEGRATIONS.md). A platform missing here cannot be connected yet.
 */
export const CONNECTORS: Partial<Record<Platform, PlatformConnector>> = {
  shopify: shopifyConnector as PlatformConnector,
  shoper: shoperConnector as PlatformConnector,
  idosell: idosellConnector as PlatformConnector,
  baselinker: baselinkerConnector as PlatformConnector,
  dotykacka: dotykackaConnector as PlatformConnector,
  woocommerce: woocommerceConnector as PlatformConnector,
  prestashop: prestashopConnector as PlatformConnector,
};

/** Where platform calls may go: public addresses on the outbound ports, unless the config allows a private network. */
export function platformPolicy(config: {
  outboundPorts: readonly number[];
  platformPrivateNetworks: boolean;
}): OutboundPolicy {
  return config.platformPrivateNetworks
    ? { ports: 'any', privateNetworks: true }
    : publicOutbound(config.outboundPorts);
}
