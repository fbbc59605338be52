import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../db/connect.ts';
import type { Clock } from '../../shared/clock.ts';
import { createUserInShop } from '../../accounts/create-user.ts';
import { findUserByEmail } from '../../accounts/users.ts';

export interface DemoOwner {
  email: string;
  password: string;
}

const DEMO_EMAIL = 'demo@lojal.test';

/**
 * The demo shop's owner, made once with a random password that is kept in the data folder
 * (demo only, like the demo API key) so every start can print the login.
 */
export async function ensureDemoOwner(
  db: Db,
  clock: Clock,
  dataDir: string,
  shopId: string,
): Promise<DemoOwner> {
  const file = path.join(dataDir, 'demo-owner.json');
  if (existsSync(file)) {
    const saved = JSON.parse(await readFile(file, 'utf8')) as DemoOwner;
    if (await findUserByEmail(db, saved.email)) return saved;
  }
  const owner = { email: DEMO_EMAIL, password: `demo-${randomBytes(9).toString('base64url')}` };
  if (!(await findUserByEmail(db, owner.email))) {
    await createUserInShop(db, clock, {
      ...owner,
      name: 'Demo Owner',
      shopId,
      role: 'owner',
    });
  }
  await writeFile(file, JSON.stringify(owner, null, 2) + '\n', { mode: 0o600 });
  return owner;
}
