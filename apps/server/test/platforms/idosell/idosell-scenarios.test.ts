import { describePlatformScenarios } from '../platform-scenarios.ts';
import { startFakeIdoSell } from './fake-idosell.ts';

describePlatformScenarios('idosell', () => startFakeIdoSell());
