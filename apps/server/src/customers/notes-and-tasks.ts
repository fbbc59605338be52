import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { ShopRow } from '../shops/shop.ts';
import { findCustomerId } from './find-customer-id.ts';

/** A staff note on a customer; notes are never edited, only added. */
export async function addNote(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  input: { customerId: string; body: string; author: string },
) {
  const row = await db
    .insertInto('customer_notes')
    .values({
      shop_id: shop.id,
      id: newId('not'),
      customer_id: await findCustomerId(db, shop.id, input.customerId),
      body: input.body,
      author: input.author,
      created_at: clock.now(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return noteView(row);
}

export async function addTask(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  input: { customerId: string; title: string; dueAt?: string; createdBy: string; source?: string },
) {
  const row = await db
    .insertInto('customer_tasks')
    .values({
      shop_id: shop.id,
      id: newId('tsk'),
      customer_id: await findCustomerId(db, shop.id, input.customerId),
      title: input.title,
      due_at: input.dueAt ?? null,
      source: input.source ?? 'staff',
      created_by: input.createdBy,
      created_at: clock.now(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return taskView(row, input.customerId);
}

/** Closes a task (done or cancelled); closing a closed task again changes nothing. */
export async function closeTask(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  input: { taskId: string; status: 'done' | 'cancelled'; by: string },
) {
  const row = await db
    .updateTable('customer_tasks')
    .set({ status: input.status, closed_at: clock.now(), closed_by: input.by })
    .where('shop_id', '=', shop.id)
    .where('id', '=', input.taskId)
    .where('status', '=', 'open')
    .returningAll()
    .executeTakeFirst();
  const current =
    row ??
    (await db
      .selectFrom('customer_tasks')
      .selectAll()
      .where('shop_id', '=', shop.id)
      .where('id', '=', input.taskId)
      .executeTakeFirst());
  if (!current) throw problems.notFound(`Task ${input.taskId}`);
  const customer = await db
    .selectFrom('customers')
    .select('external_id')
    .where('shop_id', '=', shop.id)
    .where('id', '=', current.customer_id)
    .executeTakeFirstOrThrow();
  return taskView(current, customer.external_id);
}

export function noteView(r: { id: string; body: string; author: string; created_at: Date }) {
  return { id: r.id, body: r.body, author: r.author, createdAt: r.created_at.toISOString() };
}

export function taskView(
  r: {
    id: string;
    title: string;
    due_at: Date | null;
    status: string;
    source: string;
    created_by: string;
    created_at: Date;
    closed_at: Date | null;
    assigned_to?: string | null;
  },
  customerId: string,
) {
  return {
    id: r.id,
    customerId,
    title: r.title,
    dueAt: r.due_at?.toISOString() ?? null,
    status: r.status as 'open' | 'done' | 'cancelled',
    source: r.source,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    closedAt: r.closed_at?.toISOString() ?? null,
    assignedTo: r.assigned_to ?? null,
  };
}

/** A customer's latest notes and tasks, newest first, for the customer 360. */
export async function customerNotes(db: Db, shopId: string, customerId: string, limit: number) {
  const rows = await db
    .selectFrom('customer_notes')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('customer_id', '=', customerId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(noteView);
}

export async function customerTasks(
  db: Db,
  shopId: string,
  customer: { id: string; externalId: string },
  limit: number,
) {
  const rows = await db
    .selectFrom('customer_tasks')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('customer_id', '=', customer.id)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((t) => taskView(t, customer.externalId));
}
