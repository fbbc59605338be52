import { z } from 'zod';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { problemSchema } from '../schemas.ts';
import { exportCustomerData, type CustomerExport } from '../../customers/export-customer-data.ts';
import { customerDataHtml, customerDataPdf } from '../../privacy/customer-data-summary.ts';
import type { Locale } from '../../shared/i18n.ts';
import { problems } from '../../shared/errors.ts';
import { findCustomerId } from '../../customers/find-customer-id.ts';
import { downloadDataExport, listDataExports } from '../../privacy/answer-data-request.ts';

/** What `exportCustomerData` gives, for the OpenAPI description. */
export const customerExportSchema = z
  .object({
    exportedAt: z.string(),
    shop: z.object({ id: z.string(), name: z.string() }),
    customerId: z.string().describe("the shop's own customer id"),
    data: z.array(
      z.object({
        kind: z.string(),
        title: z.string().describe('the kind in the words of `lang`'),
        purpose: z.string().describe('why it is kept'),
        source: z.string().describe('where it came from'),
        records: z
          .record(z.string(), z.array(z.record(z.string(), z.unknown())))
          .describe('rows by table'),
      }),
    ),
  })
  .meta({ id: 'CustomerExport' });

export const exportQuery = z.object({
  lang: z.enum(['pl', 'en']).optional().describe("the summary's language; the shop's by default"),
});

/**
 * The asked format: `?format=html|pdf` (or `Accept: text/html` / `application/pdf`) gives the
 * readable summary, else JSON. Read from the raw URL: the OpenAPI document describes the JSON
 * answer, which is what a generated client gets.
 */
export function exportFormat(request: FastifyRequest): 'json' | 'html' | 'pdf' {
  const asked = new URL(request.url, 'http://lojal.invalid').searchParams.get('format');
  if (asked === 'html' || asked === 'pdf') return asked;
  const accept = request.headers.accept ?? '';
  if (accept.startsWith('application/pdf')) return 'pdf';
  if (accept.startsWith('text/html')) return 'html';
  return 'json';
}

/** The export in the asked format; HTML and PDF bypass the route's JSON serializer. */
export async function sendCustomerExport(
  reply: FastifyReply,
  data: CustomerExport,
  format: 'json' | 'html' | 'pdf',
  lang: Locale,
  timezone: string,
  filename: string,
) {
  reply.header('cache-control', 'no-store');
  if (format === 'html') {
    return reply
      .type('text/html; charset=utf-8')
      .serializer((payload: unknown) => payload as string)
      .send(customerDataHtml(data, lang, timezone));
  }
  if (format === 'pdf') {
    const pdf = await customerDataPdf(data, lang, timezone);
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="${filename}.pdf"`)
      .send(pdf);
  }
  return reply.send(data);
}

/**
 * A customer's request for their data (RODO Art. 15 and 20), answered by the shop: the same
 * export the customer downloads themselves from the customer portal.
 */
export function customerExportRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/customers/:customerId/export',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['customers'],
        summary: 'Every personal datum Lojal holds about a customer (RODO Art. 15 and 20)',
        description:
          'Grouped by kind (profile, orders, points, stamps, coupons, referrals, consents, messages, surveys, reviews, notes and tasks, visits, raw deliveries), each with its purpose and source; the customer\'s rows as stored, binary contents listed by size. `format=html|pdf` gives a readable summary in Polish or English. The customer portal\'s "download my data" gives the same.',
        params: z.object({ customerId: z.string().min(1).max(255) }),
        querystring: exportQuery,
        response: {
          200: customerExportSchema,
          404: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const shop = shopOf(request);
      const lang = request.query.lang ?? (shop.locale === 'pl' ? 'pl' : 'en');
      const data = await exportCustomerData(ctx.db, ctx.clock, {
        shopId: shop.id,
        externalId: request.params.customerId,
        lang,
      });
      const name = `${request.params.customerId}-data-${ctx.clock.now().toISOString().slice(0, 10)}`;
      return sendCustomerExport(
        reply,
        data,
        exportFormat(request),
        lang,
        shop.timezone,
        name.replace(/[^\w.-]/g, '_'),
      );
    },
  );

  r.get(
    '/v1/customers/:customerId/data-exports',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['customers'],
        summary:
          "The answers to a customer's data requests a platform relayed (Shopify customers/data_request)",
        description:
          'Each is the export as it was when the request came, kept for the shop to download and hand over; erasure deletes them.',
        params: z.object({ customerId: z.string().min(1).max(255) }),
        response: {
          200: z.object({
            data: z.array(
              z.object({
                id: z.string(),
                source: z.string(),
                requestRef: z.string().nullable(),
                createdAt: z.string(),
                downloadedAt: z.string().nullable(),
              }),
            ),
          }),
          404: problemSchema,
        },
      },
    },
    async (request) => {
      const shop = shopOf(request);
      const customerId = await findCustomerId(ctx.db, shop.id, request.params.customerId);
      return { data: await listDataExports(ctx.db, shop.id, customerId) };
    },
  );

  r.get(
    '/v1/customers/:customerId/data-exports/:exportId',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['customers'],
        summary: 'Download one answer to a data request (JSON, or an HTML or PDF summary)',
        params: z.object({
          customerId: z.string().min(1).max(255),
          exportId: z.string().min(1).max(100),
        }),
        querystring: exportQuery,
        response: { 200: customerExportSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const shop = shopOf(request);
      const customerId = await findCustomerId(ctx.db, shop.id, request.params.customerId);
      const data = await downloadDataExport(
        ctx.db,
        ctx.clock,
        shop.id,
        customerId,
        request.params.exportId,
      );
      if (!data) throw problems.notFound('The data export');
      const lang = request.query.lang ?? (shop.locale === 'pl' ? 'pl' : 'en');
      return sendCustomerExport(
        reply,
        data,
        exportFormat(request),
        lang,
        shop.timezone,
        request.params.exportId.replace(/[^\w.-]/g, '_'),
      );
    },
  );
}
