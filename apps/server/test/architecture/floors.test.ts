import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RuleTester } from 'eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module shared with eslint.config.js
import { floorsRule } from '../../../../eslint/floors-rule.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const src = (file: string) => path.join(repo, 'apps/server/src', file);

RuleTester.describe = describe;
RuleTester.it = it;
const tester = new RuleTester({ languageOptions: { ecmaVersion: 2022, sourceType: 'module' } });

describe('the floors rule', () => {
  tester.run('lojal/floors', floorsRule, {
    valid: [
      { filename: src('points/ledger.ts'), code: "import { x } from '../shared/ids.ts';" },
      { filename: src('points/ledger.ts'), code: "import { x } from '../tiers/meets-tier.ts';" },
      { filename: src('http/routes/x.ts'), code: "import { x } from '../../points/ledger.ts';" },
      { filename: src('app/routes.ts'), code: "import { x } from '../http/routes/health.ts';" },
      { filename: src('main.ts'), code: "import { x } from './app/build-app.ts';" },
      { filename: src('ingest/apply-events.ts'), code: "import { x } from '../events/emit.ts';" },
    ],
    invalid: [
      // The planted upward imports a newcomer might write first.
      { filename: src('points/ledger.ts'), code: "import { r } from '../app/reactions.ts';" },
      { filename: src('events/x.ts'), code: "import { p } from '../points/ledger.ts';" },
      { filename: src('db/migrate.ts'), code: "import { w } from '../app/worker.ts';" },
      { filename: src('messaging/x.ts'), code: "import { a } from '../automations/x.ts';" },
      { filename: src('shared/x.ts'), code: "import { d } from '../db/connect.ts';" },
      { filename: src('tiers/x.ts'), code: "import { h } from '../http/routes/tiers.ts';" },
      {
        filename: src('ingest/x.ts'),
        code: "export { c } from '../customers/find-customer-id.ts';",
      },
      { filename: src('http/x.ts'), code: "const m = import('../app/routes.ts');" },
    ].map((c) => ({ ...c, errors: [{ messageId: 'upward' }] })),
  });
});

describe('the import picture', () => {
  it('has no upward arrow and one named cluster of features in a cycle', () => {
    const report = execFileSync('node', [path.join(repo, 'scripts/import-graph.mjs')], {
      encoding: 'utf8',
    });
    expect(report).toContain('upward arrows (to a higher floor): 0');
    const cycles = [...report.matchAll(/cycle of \d+: (.*)/g)].map((m) => m[1]);
    // docs/ARCHITECTURE.md names this cluster; a new member needs a reason there first.
    expect(cycles).toEqual(['coupons, customers, points, referrals, rewards, tiers']);
  });
});
