import type { MemberRole } from '../db/schema.ts';

export type { MemberRole };

/** Every role, most powerful first. */
export const MEMBER_ROLES: readonly MemberRole[] = [
  'owner',
  'admin',
  'marketer',
  'support',
  'analyst',
];

/** Roles that run the shop's team and credentials, and may (and should) use a second factor. */
export function managesShop(role: MemberRole): boolean {
  return role === 'owner' || role === 'admin';
}
