import { SignJWT } from 'jose';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.ts';
import { escapeHtml } from '../../messaging/html-escape.ts';
import { rotateStorefrontSecret } from '../../storefront/rotate-storefront-secret.ts';

/**
 * `GET /demo/shop`: a storefront page of the demo shop (only when it exists, `npm start`), with
 * the widget installed as a shop installs it and a customer token signed the way a shop's
 * backend signs one — for one of the demo's customers with the most points, or none with
 * `?guest`. It shows what a shopper sees; nothing here is used by a real shop.
 */

// The demo's own products (generate-demo-events.ts), so social proof and reviews match them.
const PRODUCTS = [
  {
    id: 'kawa-etiopia-250',
    name: 'Kawa Etiopia 250 g',
    price: '49,00 zł',
    note: 'jaśmin, bergamotka',
  },
  {
    id: 'kawa-kolumbia-250',
    name: 'Kawa Kolumbia 250 g',
    price: '45,00 zł',
    note: 'karmel, czerwone jabłko',
  },
  {
    id: 'kawa-brazylia-1kg',
    name: 'Kawa Brazylia 1 kg',
    price: '129,00 zł',
    note: 'orzech laskowy, kakao',
  },
  { id: 'drip-v60', name: 'Drip V60', price: '89,00 zł', note: 'ceramika, rozmiar 02' },
];

function page(
  shop: { id: string; name: string },
  widget: string,
  token: string | null,
  guest: boolean,
) {
  const cards = PRODUCTS.map(
    (
      p,
    ) => `<article class="card"><div class="photo" aria-hidden="true"></div><h3>${escapeHtml(p.name)}</h3>
      <p class="note">${escapeHtml(p.note)}</p><p class="price">${escapeHtml(p.price)}</p>
      <button type="button">Do koszyka</button></article>`,
  ).join('');
  return `<!doctype html>
<html lang="pl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(shop.name)} — sklep demo</title>
<style>
body{margin:0;font-family:Georgia,serif;background:#f6f1ea;color:#2b2118}
header{display:flex;justify-content:space-between;align-items:center;padding:16px 24px;background:#2b2118;color:#f6f1ea}
header a{color:#f6f1ea}
main{max-width:1040px;margin:0 auto;padding:24px}
.hint{background:#fff;border:1px dashed #8a6a4f;padding:12px 16px;border-radius:8px;font-family:system-ui,sans-serif;font-size:14px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:16px;margin:24px 0}
.card{background:#fff;border-radius:12px;padding:16px}
.photo{height:140px;border-radius:8px;background:linear-gradient(135deg,#8a6a4f,#c9a27e)}
.price{font-weight:bold}.note{color:#5c4a3c}
button{background:#2b2118;color:#fff;border:0;border-radius:6px;padding:8px 14px;font:inherit;cursor:pointer}
</style></head>
<body><header><strong>${escapeHtml(shop.name)}</strong><nav><a href="?${guest ? '' : 'guest'}">${guest ? 'Zaloguj jako klient demo' : 'Zobacz jako gość'}</a></nav></header>
<main><p class="hint">To strona sklepu demo. Widżet Lojal (przycisk w rogu) jest zainstalowany jednym tagiem
${guest ? 'bez tokenu — tak widzi go gość.' : 'z tokenem klienta podpisanym sekretem sklepu — tak widzi go zalogowany klient.'}</p>
<h1>Kawy świeżo palone</h1><div class="grid">${cards}</div>
<div data-lojal-reviews data-product="kawa-etiopia-250" data-product-name="Kawa Etiopia 250 g"></div>
</main>
<script src="${escapeHtml(widget)}" data-shop="${escapeHtml(shop.id)}"${token ? ` data-customer-token="${escapeHtml(token)}"` : ''} async></script>
</body></html>`;
}

export function demoStorefrontRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/demo/shop',
    { config: { auth: 'none', rateClass: 'public' }, schema: { hide: true } },
    async (request, reply) => {
      // Only while the instance runs its demo: a real instance never hands out tokens here.
      if (!ctx.config.demo) return reply.code(404).send({ status: 404, title: 'Not found' });
      const shop = await ctx.db
        .selectFrom('shops')
        .select(['id', 'name'])
        .where('is_demo', '=', true)
        .orderBy('created_at')
        .executeTakeFirst();
      if (!shop) return reply.code(404).send({ status: 404, title: 'No demo shop' });
      const guest = 'guest' in (request.query as Record<string, unknown>);
      let token: string | null = null;
      if (!guest) {
        let secrets = await ctx.storefrontKeys.shopSecrets(shop.id, { fresh: true });
        if (secrets.length === 0) {
          await rotateStorefrontSecret(ctx.db, ctx.clock, ctx.box, shop.id);
          secrets = await ctx.storefrontKeys.shopSecrets(shop.id, { fresh: true });
        }
        const customer = await ctx.db
          .selectFrom('point_accounts as a')
          .innerJoin('customers as c', (j) =>
            j.onRef('c.shop_id', '=', 'a.shop_id').onRef('c.id', '=', 'a.customer_id'),
          )
          .select(['c.external_id', 'c.first_name', 'c.email'])
          .where('a.shop_id', '=', shop.id)
          .where('c.redacted_at', 'is', null)
          .orderBy('a.lifetime_earned', 'desc')
          .limit(1)
          .executeTakeFirst();
        if (customer) {
          const iat = Math.floor(ctx.clock.now().getTime() / 1000);
          token = await new SignJWT({
            ...(customer.first_name && { firstName: customer.first_name }),
            ...(customer.email && { email: customer.email }),
          })
            .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
            .setSubject(customer.external_id)
            .setIssuedAt(iat)
            .setExpirationTime(iat + 3600)
            .sign(secrets[0]!);
        }
      }
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header(
          'content-security-policy',
          "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; frame-ancestors 'none'; base-uri 'none'",
        )
        .send(page(shop, `${ctx.config.publicUrl}/widget.js`, token, guest));
    },
  );
}
