import type { FieldError } from '../shared/errors.ts';
import type { ConnectionDeps } from './connection-deps.ts';
import type { PlatformConnector } from './connector.ts';

/**
 * Settings that point a connector at another API address than the platform's own (its fake in
 * tests). Another value than the platform's own is accepted only where private networks are
 * allowed (LOJAL_PLATFORM_PRIVATE_NETWORKS): in production a shop's credentials only ever go to
 * the platform itself.
 */
const API_ADDRESS_OVERRIDES = ['apiBaseUrl', 'apiUrl'];

export function testOnlySettingsRefusal(
  deps: Pick<ConnectionDeps, 'policy'>,
  connector: PlatformConnector,
  settings: Record<string, unknown>,
): FieldError[] {
  if (deps.policy.privateNetworks) return [];
  return API_ADDRESS_OVERRIDES.filter((name) => {
    if (settings[name] === undefined) return false;
    // the platform's own address, as the schema's default gives it, is no override
    const own = connector.settingsSchema.safeParse({ ...settings, [name]: undefined });
    return !own.success || (own.data as Record<string, unknown>)[name] !== settings[name];
  }).map((name) => ({
    path: `settings.${name}`,
    message: "is for test setups only: Lojal calls the platform's own API address",
  }));
}
