import { StampProblem } from './stamp-problems.ts';

/**
 * What a staff device may do, by its role; the one place roles are checked. A `staff` device
 * stamps cards within the programme's rules. A `manager` device may also stamp past the
 * programme's daily limit (a customer who paid for a friend, a mistake to put right), which
 * the stamp records with the manager's device.
 */
export const STAFF_ROLES = ['staff', 'manager'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export type StaffAction = 'stamp' | 'stamp-past-daily-limit';

const allowed: Record<StaffRole, readonly StaffAction[]> = {
  staff: ['stamp'],
  manager: ['stamp', 'stamp-past-daily-limit'],
};

/** Refuses (403, with a message for the barista) what the device's role may not do. */
export function requireRole(staff: { role: StaffRole }, action: StaffAction): void {
  if (!allowed[staff.role].includes(action)) throw new StampProblem('manager-only');
}
