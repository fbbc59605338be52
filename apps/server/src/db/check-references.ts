import { sql } from 'kysely';
import type { Db, Tx } from './connect.ts';
import { Problem } from '../shared/errors.ts';
import { pluralForm } from '../shared/i18n.ts';

/** What a saved configuration may name, and where the shop's own ones are. */
const TABLES = {
  reward: ['rewards', 'id'],
  segment: ['segments', 'id'],
  webhookEndpoint: ['webhook_endpoints', 'id'],
  template: ['message_templates', 'template_key'],
} as const;

export type ReferenceKind = keyof typeof TABLES;

/** One id a configuration names, and where in the request body it stands. */
export interface Reference {
  path: string;
  kind: ReferenceKind;
  id: string;
}

const nouns: Record<ReferenceKind, string> = {
  reward: 'reward',
  segment: 'segment',
  webhookEndpoint: 'webhook endpoint',
  template: 'message template',
};

/**
 * Refuses a configuration (a flow, a referral campaign…) that names a reward, segment, webhook
 * endpoint or template this shop does not have — another shop's or none at all — with 422 and
 * the path of every such reference. Run-time lookups are scoped by shop, so such a reference
 * would silently do nothing; refusing it at save tells the merchant. `builtIn` ids of a kind
 * (built-in segments, ready-made templates) need no row.
 */
export async function checkReferences(
  db: Db | Tx,
  shopId: string,
  references: readonly Reference[],
  builtIn: Partial<Record<ReferenceKind, ReadonlySet<string>>> = {},
): Promise<void> {
  const missing: Reference[] = [];
  for (const kind of Object.keys(TABLES) as ReferenceKind[]) {
    const named = references.filter((r) => r.kind === kind && !builtIn[kind]?.has(r.id));
    if (named.length === 0) continue;
    const [table, column] = TABLES[kind];
    const found = await sql<{ id: string }>`
      SELECT DISTINCT ${sql.ref(column)} AS id FROM ${sql.table(table)}
      WHERE shop_id = ${shopId} AND ${sql.ref(column)} IN (${sql.join(named.map((r) => r.id))})`.execute(
      db,
    );
    const ids = new Set(found.rows.map((row) => row.id));
    missing.push(...named.filter((r) => !ids.has(r.id)));
  }
  if (missing.length > 0) throw new ReferenceProblem(missing);
}

export class ReferenceProblem extends Problem {
  readonly messages: { pl: string; en: string };

  constructor(missing: readonly Reference[]) {
    const n = missing.length;
    const paths = missing.map((r) => r.path).join(', ');
    super(
      422,
      'unknown-reference',
      'Unknown reference',
      `${n} ${n === 1 ? 'reference names' : 'references name'} nothing in this shop: ${paths}.`,
      missing.map((r) => ({ path: r.path, message: `no ${nouns[r.kind]} ${r.id} in this shop` })),
    );
    const word = pluralForm('pl', n, {
      one: 'odwołanie',
      few: 'odwołania',
      many: 'odwołań',
      other: 'odwołania',
    });
    const verb = pluralForm('pl', n, {
      one: 'nie wskazuje',
      few: 'nie wskazują',
      other: 'nie wskazuje',
    });
    this.messages = {
      en: this.detail!,
      pl: `${n} ${word} ${verb} niczego w tym sklepie: ${paths}.`,
    };
  }

  override toJSON() {
    return { ...super.toJSON(), messages: this.messages };
  }
}
