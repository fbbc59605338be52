import type { Role } from '../api/types.ts';
import { useShop } from '../layout/shop-context.ts';

/**
 * The role groups of the server's route table (apps/server/src/http/route-roles.ts), so a page
 * hides the controls a role may not use; the server still decides (403).
 */
export const MARKETING: readonly Role[] = ['owner', 'admin', 'marketer'];
export const SUPPORT: readonly Role[] = ['owner', 'admin', 'support'];
export const SERVICE: readonly Role[] = ['owner', 'admin', 'marketer', 'support'];

/** Whether the signed-in person's role in this shop is one of these. */
export function useCan(roles: readonly Role[]): boolean {
  return roles.includes(useShop().membership.role);
}
