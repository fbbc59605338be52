import { describePlatformScenarios } from '../platform-scenarios.ts';
import { startFakeDotykacka } from './fake-dotykacka.ts';

describePlatformScenarios('dotykacka', (now) => startFakeDotykacka({ now: now.getTime() }));
