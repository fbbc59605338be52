import { describePlatformScenarios } from '../platform-scenarios.ts';
import { startFakeShoper } from './fake-shoper.ts';

// Shoper's real bucket (10 calls, leaking 2 a second: docs/integrations/shoper.md) everywhere but
// the 1,000-order backfill, where it would take the test half a minute of waiting (a page of 50
// orders is 3 calls: orders, their lines, the orders sharing the page's last second). There the
// bucket is wider and only the connector's own 10 calls a second spaces it; the rate-limit
// scenario meets the real bucket.
describePlatformScenarios('shoper', (_now, scenario) =>
  startFakeShoper(scenario === 'backfill' ? { limit: 40, bandwidth: 20 } : {}),
);
