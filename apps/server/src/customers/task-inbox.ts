import type { Db } from '../db/connect.ts';
import { problems } from '../shared/errors.ts';
import type { ShopRow } from '../shops/shop.ts';
import { taskView } from './notes-and-tasks.ts';

export type TaskStatusFilter = 'open' | 'done' | 'cancelled' | 'all';
/** Where tasks come from: a survey's low score, a flow's task step, or staff by hand. */
export type TaskOrigin = 'survey' | 'flow' | 'staff';

export interface TaskFilters {
  status: TaskStatusFilter;
  /** A team member's user id, or "none" for tasks nobody has. */
  assignedTo?: string;
  origin?: TaskOrigin;
  limit: number;
}

/**
 * The shop's tasks for the inbox: open ones soonest due first (no due date last), closed ones
 * newest first, each with the customer's e-mail and name so a person knows whom to call.
 */
export async function listTasks(db: Db, shop: ShopRow, filters: TaskFilters) {
  let query = db
    .selectFrom('customer_tasks as t')
    .innerJoin('customers as c', (j) =>
      j.onRef('c.shop_id', '=', 't.shop_id').onRef('c.id', '=', 't.customer_id'),
    )
    .selectAll('t')
    .select(['c.external_id', 'c.email', 'c.first_name', 'c.last_name'])
    .where('t.shop_id', '=', shop.id);
  if (filters.status !== 'all') query = query.where('t.status', '=', filters.status);
  if (filters.assignedTo === 'none') query = query.where('t.assigned_to', 'is', null);
  else if (filters.assignedTo) query = query.where('t.assigned_to', '=', filters.assignedTo);
  if (filters.origin === 'staff') query = query.where('t.source', '=', 'staff');
  else if (filters.origin) query = query.where('t.source', 'like', `${filters.origin}:%`);
  query =
    filters.status === 'open'
      ? query
          .orderBy((eb) => eb.fn('coalesce', [eb.ref('t.due_at'), eb.val(new Date('9999-12-31'))]))
          .orderBy('t.id')
      : query.orderBy('t.created_at', 'desc').orderBy('t.id', 'desc');
  const rows = await query.limit(filters.limit).execute();
  return rows.map((r) => ({
    ...taskView(r, r.external_id),
    customer: {
      email: r.email,
      name: [r.first_name, r.last_name].filter(Boolean).join(' ') || null,
    },
  }));
}

/**
 * Gives a task to one of the shop's team members, or to nobody (`userId` null). Someone who is
 * not a member of this shop is refused as a field error, so no task points at a stranger.
 */
export async function assignTask(
  db: Db,
  shop: ShopRow,
  input: { taskId: string; userId: string | null },
) {
  if (input.userId !== null) {
    const member = await db
      .selectFrom('memberships')
      .select('user_id')
      .where('shop_id', '=', shop.id)
      .where('user_id', '=', input.userId)
      .executeTakeFirst();
    if (!member) {
      throw problems.validation([{ path: 'userId', message: 'is not a member of this shop' }]);
    }
  }
  const row = await db
    .updateTable('customer_tasks as t')
    .from('customers as c')
    .set({ assigned_to: input.userId })
    .whereRef('c.shop_id', '=', 't.shop_id')
    .whereRef('c.id', '=', 't.customer_id')
    .where('t.shop_id', '=', shop.id)
    .where('t.id', '=', input.taskId)
    .returningAll('t')
    .returning('c.external_id')
    .executeTakeFirst();
  if (!row) throw problems.notFound(`Task ${input.taskId}`);
  return taskView(row, row.external_id);
}
