import { z } from 'zod';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { guardedFetch } from '../../messaging/guarded-fetch.ts';
import { publicOutbound } from '../../messaging/outbound-url.ts';
import { isLocale, type Locale } from '../../shared/i18n.ts';
import type { ShopRow } from '../../shops/shop.ts';
import { QR_ERROR_CORRECTION, QR_QUIET_MODULES } from '../../printables/draw-qr.ts';
import { CARD_QR_LEVEL, CARD_QR_MM, REFERRAL_QR_MM } from '../../printables/customer-layouts.ts';
import { JOIN_QR_MM } from '../../printables/join-layouts.ts';
import { customerPrintFacts, joinUrl, shopPrintFacts } from '../../printables/printable-facts.ts';
import {
  CUSTOMER_PRINTABLES,
  PAGE_MM,
  SHOP_PRINTABLES,
  renderCustomerPrintable,
  renderShopPrintable,
} from '../../printables/render-printable.ts';

const QR_MM = {
  poster: JOIN_QR_MM.poster,
  flyer: JOIN_QR_MM.flyer,
  'table-tent': JOIN_QR_MM.tent,
  'loyalty-card': CARD_QR_MM,
  'referral-flyer': REFERRAL_QR_MM,
} as const;

const QR_LEADS_TO = {
  poster: 'join',
  flyer: 'join',
  'table-tent': 'join',
  'loyalty-card': 'card',
  'referral-flyer': 'referral-link',
} as const;

const langQuery = z.object({
  lang: z.enum(['pl', 'en']).optional().describe("the printable's language; the shop's by default"),
});

const catalogueSchema = z
  .object({
    joinUrl: z.string().describe("where the shop's printables' QR code leads"),
    printables: z.array(
      z.object({
        kind: z.enum([...SHOP_PRINTABLES, ...CUSTOMER_PRINTABLES]),
        scope: z.enum(['shop', 'customer']),
        page: z.object({ widthMm: z.number(), heightMm: z.number() }),
        qr: z.object({
          sizeMm: z.number().describe('the printed symbol, without the quiet zone'),
          quietZoneModules: z.number().int(),
          errorCorrection: z.enum(['L', 'M', 'Q', 'H']),
          leadsTo: z
            .enum(['join', 'card', 'referral-link'])
            .describe("join: joinUrl; card: the customer's signed card payload; referral-link"),
        }),
      }),
    ),
  })
  .meta({ id: 'PrintableCatalogue' });

function locale(shop: ShopRow, wanted: Locale | undefined): Locale {
  const own = shop.locale.slice(0, 2).toLowerCase();
  return wanted ?? (isLocale(own) ? own : 'pl');
}

function sendPdf(reply: FastifyReply, name: string, pdf: Buffer) {
  return reply
    .type('application/pdf')
    .header('content-disposition', `attachment; filename="${name.replace(/[^\w.-]/g, '_')}.pdf"`)
    .header('cache-control', 'private, no-store')
    .send(pdf);
}

/**
 * Printed materials as PDF: the shop's own (poster, flyer, table tent: a QR code to join) and a
 * customer's (the loyalty card with their card QR code, the "poleć nas" flyer with their
 * referral code and link). The shop is the session's or the key's; another shop's customer → 404.
 */
export function printableRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // The logo comes from a merchant-given address: public addresses only, at most 2 MB.
  const fetchLogo = guardedFetch(publicOutbound(ctx.config.outboundPorts), 2 * 1024 * 1024);
  const deps = { publicUrl: ctx.config.publicUrl, fetch: fetchLogo };

  r.get(
    '/v1/printables',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['printables'],
        summary: 'The printables there are: paper sizes, QR code sizes and where each QR leads',
        response: { 200: catalogueSchema },
      },
    },
    async (request) => ({
      joinUrl: joinUrl(shopOf(request), ctx.config.publicUrl),
      printables: [...SHOP_PRINTABLES, ...CUSTOMER_PRINTABLES].map((kind) => ({
        kind,
        scope: (SHOP_PRINTABLES as readonly string[]).includes(kind)
          ? ('shop' as const)
          : ('customer' as const),
        page: { widthMm: PAGE_MM[kind].width, heightMm: PAGE_MM[kind].height },
        qr: {
          sizeMm: QR_MM[kind],
          quietZoneModules: QR_QUIET_MODULES,
          errorCorrection: kind === 'loyalty-card' ? CARD_QR_LEVEL : QR_ERROR_CORRECTION,
          leadsTo: QR_LEADS_TO[kind],
        },
      })),
    }),
  );

  r.get(
    '/v1/printables/:kind.pdf',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['printables'],
        summary: "A printable of the shop's as PDF: an A4 poster, an A6 flyer, an A4 table tent",
        description:
          "The QR code leads to joining the programme (the shop's storefrontJoinUrl, else its " +
          'customer portal). The brand kit gives the logo (PNG or JPEG) and colours.',
        produces: ['application/pdf'],
        params: z.object({ kind: z.enum(SHOP_PRINTABLES) }),
        querystring: langQuery,
      },
    },
    async (request, reply) => {
      const shop = shopOf(request);
      const lang = locale(shop, request.query.lang);
      const facts = await shopPrintFacts(ctx.db, shop, deps);
      const pdf = await renderShopPrintable(request.params.kind, facts, lang);
      return sendPdf(reply, `${request.params.kind}-${shop.slug}-${lang}`, pdf);
    },
  );

  r.get(
    '/v1/customers/:customerId/printables/:kind.pdf',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['printables'],
        summary:
          "A customer's printable as PDF: the loyalty card (ID-1, with the QR a staff scanner " +
          'reads) or the "poleć nas" flyer (A6, with their referral code and link)',
        produces: ['application/pdf'],
        params: z.object({
          customerId: z.string().min(1).max(255).describe("the shop's own customer id"),
          kind: z.enum(CUSTOMER_PRINTABLES),
        }),
        querystring: langQuery,
      },
    },
    async (request, reply) => {
      const shop = shopOf(request);
      const lang = locale(shop, request.query.lang);
      const now = ctx.clock.now();
      const customer = await customerPrintFacts(ctx.db, ctx.box, shop, request.params.customerId, {
        publicUrl: ctx.config.publicUrl,
        now,
      });
      const facts = await shopPrintFacts(ctx.db, shop, deps);
      const pdf = await renderCustomerPrintable(request.params.kind, facts, customer, lang);
      return sendPdf(reply, `${request.params.kind}-${shop.slug}-${lang}`, pdf);
    },
  );
}
