import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { actorOf, shopOf } from '../auth.ts';
import { customer360 } from '../../customers/customer-360.ts';
import { addNote, addTask, closeTask } from '../../customers/notes-and-tasks.ts';
import { assignTask, listTasks } from '../../customers/task-inbox.ts';

const params = z.object({ customerId: z.string().min(1).max(255) });
const noteSchema = z.object({
  id: z.string(),
  body: z.string(),
  author: z.string(),
  createdAt: z.string(),
});
const taskSchema = z
  .object({
    id: z.string(),
    customerId: z.string(),
    title: z.string(),
    dueAt: z.string().nullable(),
    status: z.enum(['open', 'done', 'cancelled']),
    source: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
    closedAt: z.string().nullable(),
    assignedTo: z.string().nullable().describe('the team member (user id) the task is given to'),
  })
  .meta({ id: 'CustomerTask' });

export function customer360Routes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/customers/:customerId/360',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['customers'],
        summary:
          'Everything about a customer: profile, consent, points and ledger, tier, orders, coupons, gift cards, stamp cards, badges, activities, predicted value, notes, tasks',
        params,
        response: { 200: z.record(z.string(), z.unknown()) },
      },
    },
    async (request) =>
      customer360(
        ctx.db,
        ctx.clock,
        shopOf(request),
        request.params.customerId,
        ctx.customerPanels,
      ),
  );

  r.post(
    '/v1/customers/:customerId/notes',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['customers'],
        summary: 'Add a staff note to a customer (the API key is recorded as the author)',
        params,
        body: z.object({ body: z.string().trim().min(1).max(5000) }),
        response: { 201: noteSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await addNote(ctx.db, ctx.clock, shopOf(request), {
          customerId: request.params.customerId,
          body: request.body.body,
          author: actorOf(request),
        }),
      ),
  );

  r.post(
    '/v1/customers/:customerId/tasks',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['customers'],
        summary: 'Create a task about a customer ("call this customer back")',
        params,
        body: z.object({
          title: z.string().trim().min(1).max(500),
          dueAt: z.iso.datetime({ offset: true }).optional(),
        }),
        response: { 201: taskSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await addTask(ctx.db, ctx.clock, shopOf(request), {
          customerId: request.params.customerId,
          ...request.body,
          createdBy: actorOf(request),
        }),
      ),
  );

  r.post(
    '/v1/tasks/:taskId/close',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['customers'],
        summary: 'Mark a task done or cancelled',
        params: z.object({ taskId: z.string() }),
        body: z.object({ status: z.enum(['done', 'cancelled']).default('done') }),
        response: { 200: taskSchema },
      },
    },
    async (request) =>
      closeTask(ctx.db, ctx.clock, shopOf(request), {
        taskId: request.params.taskId,
        status: request.body.status,
        by: actorOf(request),
      }),
  );

  r.post(
    '/v1/tasks/:taskId/assign',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['customers'],
        summary: "Give a task to one of the shop's team members, or to nobody (userId null)",
        params: z.object({ taskId: z.string() }),
        body: z.object({
          userId: z
            .string()
            .min(1)
            .max(64)
            .nullable()
            .describe('a team member (GET /v1/team/members)'),
        }),
        response: { 200: taskSchema },
      },
    },
    async (request) =>
      assignTask(ctx.db, shopOf(request), {
        taskId: request.params.taskId,
        userId: request.body.userId,
      }),
  );

  r.get(
    '/v1/tasks',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['customers'],
        summary: 'The tasks inbox: open tasks soonest due first (closed ones newest first)',
        description:
          "origin: survey (a low NPS/CSAT score), flow (a flow's task step) or staff (by hand); " +
          'assignedTo: a user id, or "none" for tasks nobody has.',
        querystring: z.object({
          status: z.enum(['open', 'done', 'cancelled', 'all']).default('open'),
          assignedTo: z.string().min(1).max(64).optional(),
          origin: z.enum(['survey', 'flow', 'staff']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: {
          200: z.object({
            data: z.array(
              taskSchema.extend({
                customer: z.object({ email: z.string().nullable(), name: z.string().nullable() }),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ data: await listTasks(ctx.db, shopOf(request), request.query) }),
  );
}
