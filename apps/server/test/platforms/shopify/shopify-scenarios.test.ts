import { describePlatformScenarios } from '../platform-scenarios.ts';
import { startFakeShopify } from './fake-shopify.ts';

// The shared scenarios (test/platforms/platform-scenarios.ts) against the GraphQL fake.
describePlatformScenarios('shopify', () => startFakeShopify());
