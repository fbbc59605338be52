import { describePlatformScenarios } from '../platform-scenarios.ts';
import { startFakePrestaShop } from './fake-prestashop.ts';

describePlatformScenarios('prestashop', () => startFakePrestaShop());
