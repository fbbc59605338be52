import { z } from 'zod';
import { problems } from '../shared/errors.ts';
import type { ConnectionDeps } from './connection-deps.ts';
import { connectorContext, openConnection } from './connection-context.ts';
import { connectionTestProblem, fieldErrors } from './create-connection.ts';
import { queueUsableCodes } from './queue-usable-codes.ts';
import { testOnlySettingsRefusal } from './test-only-settings.ts';

export const updateConnectionSchema = z.object({
  paused: z.boolean().optional(),
  /** New credentials (a rotated key): tested before they replace the old ones. */
  credentials: z.record(z.string(), z.unknown()).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  pushCodes: z.boolean().optional(),
});
export type UpdateConnectionInput = z.infer<typeof updateConnectionSchema>;

/**
 * Pauses or resumes a connection, or changes its credentials, settings or code pushing. New
 * credentials or settings are proved with the platform first; a connection stopped for the
 * merchant (credentials refused) runs again once they change, or on resume.
 */
export async function updateConnection(
  deps: ConnectionDeps,
  shopId: string,
  connectionId: string,
  input: UpdateConnectionInput,
): Promise<boolean> {
  const open = await openConnection(deps, shopId, connectionId);
  if (!open) return false;
  const { connector, row } = open;
  const now = deps.clock.now();
  let credentials = open.ctx.credentials;
  let settings = open.ctx.settings;
  if (input.credentials !== undefined) {
    const parsed = connector.credentialsSchema.safeParse(input.credentials);
    if (!parsed.success) throw problems.validation(fieldErrors(parsed.error, 'credentials'));
    credentials = parsed.data;
  }
  if (input.settings !== undefined) {
    const parsed = connector.settingsSchema.safeParse(input.settings);
    if (!parsed.success) throw problems.validation(fieldErrors(parsed.error, 'settings'));
    settings = parsed.data;
  }
  if (input.settings !== undefined) {
    const errors = testOnlySettingsRefusal(deps, connector, input.settings);
    // Settings say where the stored credentials go: new ones are given with them, so a changed
    // address never receives the old key (a member could otherwise read it off their own server).
    if (input.credentials === undefined)
      errors.push({
        path: 'credentials',
        message: 'are required with new settings: they are tested against the new settings',
      });
    if (errors.length > 0) throw problems.validation(errors);
  }
  if (input.pushCodes && !connector.pushCodes) {
    throw problems.validation([
      { path: 'pushCodes', message: `${connector.name} cannot take discount codes from Lojal` },
    ]);
  }
  const changesAccess = input.credentials !== undefined || input.settings !== undefined;
  let accountName = row.account_name;
  if (changesAccess) {
    const ctx = connectorContext(deps, connector, { ...open.ctx, credentials, settings });
    try {
      ({ accountName } = await connector.test(ctx));
    } catch (error) {
      throw connectionTestProblem(connector.name, error);
    }
  }
  const resumes = input.paused === false || changesAccess;
  if (input.pushCodes === true && !row.push_codes) {
    await queueUsableCodes(deps.db, shopId, connectionId, now);
  }
  await deps.db
    .updateTable('connections')
    .set({
      ...(input.paused === true && { paused_at: now }),
      ...(input.paused === false && { paused_at: null }),
      ...(input.credentials !== undefined && {
        credentials: deps.box.seal(JSON.stringify(credentials)),
      }),
      ...(input.settings !== undefined && { settings: JSON.stringify(settings) }),
      ...(input.pushCodes !== undefined && { push_codes: input.pushCodes }),
      ...(resumes && { needs_attention: null, pull_failures: 0, next_pull_at: now }),
      account_name: accountName,
      updated_at: now,
    })
    .where('shop_id', '=', shopId)
    .where('id', '=', connectionId)
    .execute();
  return true;
}
