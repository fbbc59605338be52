import { describePlatformScenarios } from '../platform-scenarios.ts';
import { startFakeBaseLinker } from './fake-baselinker.ts';

describePlatformScenarios('baselinker', (now) => startFakeBaseLinker({ now: now.getTime() }));
