import { describePlatformScenarios } from '../platform-scenarios.ts';
import { startFakeWooCommerce } from './fake-woocommerce.ts';

describePlatformScenarios('woocommerce', () => startFakeWooCommerce());
