import { z } from 'zod';
import { problems, Problem, type FieldError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { hashToken, newToken } from '../shared/secrets.ts';
import { addMonths } from '../shared/zoned-time.ts';
import { queueUsableCodes } from './queue-usable-codes.ts';
import { testOnlySettingsRefusal } from './test-only-settings.ts';
import type { ConnectionDeps } from './connection-deps.ts';
import { connectorContext, shopForConnector } from './connection-context.ts';
import { PLATFORMS, PlatformError, type Platform, type PlatformConnector } from './connector.ts';

export const createConnectionSchema = z.object({
  platform: z.enum(PLATFORMS as [Platform, ...Platform[]]),
  credentials: z.record(z.string(), z.unknown()),
  settings: z.record(z.string(), z.unknown()).default({}),
  /** History to import on connecting: months back (0: none), and whether it earns points. */
  backfill: z
    .object({
      months: z.number().int().min(0).max(120).default(12),
      earnPoints: z.boolean().default(false),
    })
    .default({ months: 12, earnPoints: false }),
  /** Create Lojal's codes in the platform (default: whenever the platform can). */
  pushCodes: z.boolean().optional(),
});
export type CreateConnectionInput = z.infer<typeof createConnectionSchema>;

/**
 * Connects a shop to its platform: checks the credentials and settings against the platform's
 * own schema, proves them with one call to the platform (a wrong key or address is a 422 with
 * the platform's reason, and nothing is stored), then stores them sealed, queues the shop's
 * codes that are still usable for creation there, and schedules the first pull and the backfill.
 * Returns the new id and the wake-up URL's token, shown this once.
 */
export async function createConnection(
  deps: ConnectionDeps,
  shopId: string,
  input: CreateConnectionInput,
): Promise<{ id: string; hookToken: string }> {
  const connector = deps.connectors[input.platform];
  if (!connector) {
    throw new Problem(
      422,
      'platform-not-available',
      'Platform not available',
      `Lojal cannot connect to ${input.platform} yet.`,
    );
  }
  const credentials = connector.credentialsSchema.safeParse(input.credentials);
  const settingsParsed = connector.settingsSchema.safeParse(input.settings);
  const errors = [
    ...fieldErrors(credentials.error, 'credentials'),
    ...fieldErrors(settingsParsed.error, 'settings'),
  ];
  errors.push(...testOnlySettingsRefusal(deps, connector, input.settings));
  if (errors.length > 0) throw problems.validation(errors);
  return connectChecked(deps, shopId, input, connector, credentials.data, settingsParsed.data);
}

async function connectChecked(
  deps: ConnectionDeps,
  shopId: string,
  input: CreateConnectionInput,
  connector: PlatformConnector,
  credentials: unknown,
  settings: unknown,
): Promise<{ id: string; hookToken: string }> {
  const existing = await deps.db
    .selectFrom('connections')
    .select('id')
    .where('shop_id', '=', shopId)
    .where('platform', '=', input.platform)
    .executeTakeFirst();
  if (existing) {
    throw problems.conflict(
      `The shop is already connected to ${connector.name} (${existing.id}); change or remove that connection.`,
    );
  }
  if (input.pushCodes && !connector.pushCodes) {
    throw problems.validation([
      { path: 'pushCodes', message: `${connector.name} cannot take discount codes from Lojal` },
    ]);
  }

  const id = newId('con');
  const ctx = connectorContext(deps, connector, {
    shopId,
    connectionId: id,
    credentials,
    settings,
    shop: await shopForConnector(deps, shopId),
  });
  let accountName: string | null;
  try {
    ({ accountName } = await connector.test(ctx));
  } catch (error) {
    throw connectionTestProblem(connector.name, error);
  }

  const now = deps.clock.now();
  const hookToken = newToken('hook');
  const pushCodes = input.pushCodes ?? connector.pushCodes !== undefined;
  await deps.db
    .transaction()
    .execute(async (tx) => {
      await tx
        .insertInto('connections')
        .values({
          shop_id: shopId,
          id,
          platform: input.platform,
          settings: JSON.stringify(settings),
          credentials: deps.box.seal(JSON.stringify(credentials)),
          account_name: accountName,
          push_codes: pushCodes,
          hook_token_hash: hashToken(hookToken),
          sync_since: new Date(now.getTime() - connector.overlapMs),
          next_pull_at: now,
          backfill_from: input.backfill.months > 0 ? addMonths(now, -input.backfill.months) : null,
          backfill_until: input.backfill.months > 0 ? now : null,
          backfill_earn_points: input.backfill.earnPoints,
          created_at: now,
          updated_at: now,
        })
        .execute();
      if (pushCodes) await queueUsableCodes(tx, shopId, id, now);
    })
    .catch((error: unknown) => {
      // Two connects at once: the unique index decides, and the loser hears why.
      if ((error as { code?: string }).code === '23505')
        throw problems.conflict(`The shop is already connected to ${connector.name}.`);
      throw error;
    });
  return { id, hookToken };
}

/** A connector schema's issues as field errors under `path` (credentials, settings). */
export function fieldErrors(error: z.ZodError | undefined, path: string): FieldError[] {
  return (error?.issues ?? []).map((issue) => ({
    path: [path, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

/** A failed connection test as a 422 the merchant can act on (the platform's own reason). */
export function connectionTestProblem(platformName: string, error: unknown): Problem {
  if (error instanceof PlatformError) {
    const title =
      error.kind === 'auth'
        ? 'Credentials refused'
        : error.kind === 'address'
          ? 'Shop address not reachable'
          : 'Platform not reachable';
    return new Problem(422, `connection-${error.kind}`, title, `${platformName}: ${error.message}`);
  }
  throw error;
}
