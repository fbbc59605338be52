import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { asMember, signIn } from '../support/accounts.ts';
import { ensureDemoOwner } from '../../src/app/demo/ensure-demo-owner.ts';
import { welcomeText } from '../../src/app/demo/welcome-text.ts';

const clock = fixedClock('2026-12-06T10:00:00Z');
let t: TestApp;
let dataDir: string;

beforeAll(async () => {
  t = await createTestApp({ clock });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'lojal-demo-owner-'));
});
afterAll(async () => {
  await t.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the demo owner', () => {
  it('is made once, owns the demo shop, signs in with the printed login, and is the same on the next start', async () => {
    const shop = await createTestShop(t, 'Palarnia Kawy Demo');
    const owner = await ensureDemoOwner(t.db, clock, dataDir, shop.id);
    expect(owner.email).toBe('demo@lojal.test');
    expect(owner.password).toMatch(/^demo-[\w-]{12}$/);
    expect((await stat(path.join(dataDir, 'demo-owner.json'))).mode & 0o777).toBe(0o600);

    const cookie = await signIn(t, owner.email, owner.password);
    const team = await t.app.inject({
      method: 'GET',
      url: '/v1/team/members',
      headers: asMember(cookie, shop.id),
    });
    expect(team.json().data).toMatchObject([{ email: owner.email, role: 'owner' }]);

    expect(await ensureDemoOwner(t.db, clock, dataDir, shop.id)).toEqual(owner);
    expect(JSON.parse(await readFile(path.join(dataDir, 'demo-owner.json'), 'utf8'))).toEqual(
      owner,
    );
    const users = await t.db.selectFrom('users').select('id').execute();
    expect(users).toHaveLength(1);
  });

  it('is printed beside the demo API key with the dashboard address on the real port', () => {
    const text = welcomeText(
      'http://localhost:3100',
      { shopId: 'shp_1', apiKey: 'lojal_sk_demo', name: 'Palarnia Kawy Demo' },
      { email: 'demo@lojal.test', password: 'demo-secret' },
    );
    expect(text).toContain('Merchant login: demo@lojal.test');
    expect(text).toContain('Dashboard:      http://localhost:3100/admin\n');
    expect(text).not.toContain('not built');
    expect(text).toContain('password      demo-secret');
    expect(text).toContain('Demo API key:   lojal_sk_demo');
  });
});
