import { idString } from '../../shared/json.ts';
import {
  PlatformError,
  type CodeToPush,
  type PlatformConnector,
  type PushResult,
} from '../../connections/connector.ts';
import { cartRuleUpdateXml, cartRuleXml, lojalMark } from './cart-rule.ts';
import { pullPrestaShop } from './pull.ts';
import {
  prestashopCredentials,
  prestashopSettings,
  psErrorText,
  psJson,
  psList,
  psRequest,
  type PsContext,
  type PsCredentials,
  type PsSettingsParsed,
} from './webservice.ts';

const OVERLAP_MS = 10 * 60_000;

/** What Lojal needs the webservice key to allow, by resource. */
const NEEDED: Record<string, Array<'get' | 'post' | 'put'>> = {
  orders: ['get'],
  order_slip: ['get'],
  customers: ['get'],
  currencies: ['get'],
  languages: ['get'],
  cart_rules: ['get', 'post', 'put'],
};

/**
 * PrestaShop (self-hosted): the `lojal` module (integrations/prestashop/lojal) sends orders,
 * refunds and customers as they happen to /v1/events; this connector reconciles through the
 * Webservice every few minutes, backfills history, and creates codes as cart rules.
 * Facts: ../shared/INTEGRATIONS.md, "PrestaShop"; merchant guide: docs/integrations/prestashop.md.
 */
export const prestashopConnector: PlatformConnector<PsCredentials, PsSettingsParsed> = {
  platform: 'prestashop',
  name: 'PrestaShop',
  credentialsSchema: prestashopCredentials,
  settingsSchema: prestashopSettings,
  // The Webservice has no limit of its own; the shop's PHP workers serve shoppers too.
  rateLimit: { requests: 5, perMs: 1000 },
  pullEveryMs: 5 * 60_000,
  overlapMs: OVERLAP_MS,

  async test(ctx) {
    let response;
    try {
      response = await psRequest(ctx, {
        method: 'GET',
        path: '/',
        query: { output_format: 'XML' },
        purpose: 'check the connection',
      });
    } catch (error) {
      throw explained(ctx, error);
    }
    if (response.status === 404) {
      throw new PlatformError(
        'address',
        `No PrestaShop Webservice at ${ctx.settings.shopUrl}/api (404): check the shop address ` +
          'and that friendly URLs are on. / Pod tym adresem nie ma Webservice PrestaShop (404): ' +
          'sprawdź adres sklepu i czy przyjazne adresy URL są włączone.',
        { status: 404 },
      );
    }
    if (response.status !== 200 || !/<api\b/.test(response.text)) {
      throw new PlatformError(
        'address',
        `${ctx.settings.shopUrl}/api answered ${response.status} without the Webservice's list ` +
          'of resources: is this a PrestaShop shop? / Pod tym adresem nie odpowiada PrestaShop.',
        { status: response.status },
      );
    }
    const missing = missingPermissions(response.text);
    if (missing.length) {
      throw new PlatformError(
        'auth',
        `The webservice key lacks permissions: ${missing.join(', ')} (Advanced Parameters → ` +
          `Webservice → the key). / Klucz Webservice nie ma uprawnień: ${missing.join(', ')}.`,
      );
    }
    const name = /<api\b[^>]*\bshopName="([^"]*)"/.exec(response.text)?.[1];
    return { accountName: name ? decodeXml(name) : null };
  },

  pull(ctx, input) {
    return pullPrestaShop(ctx, input, OVERLAP_MS);
  },

  async pushCodes(ctx, codes) {
    const results: PushResult[] = [];
    let shared: { languageIds: string[]; currencies: Map<string, string> } | null = null;
    let stop: PlatformError | null = null;
    for (const code of codes) {
      if (stop) {
        results.push({ couponId: code.couponId, ok: false, error: stop });
        continue;
      }
      try {
        shared ??= await shopBasics(ctx);
        results.push({
          couponId: code.couponId,
          ok: true,
          ref: await createRule(ctx, code, shared),
        });
      } catch (error) {
        const e =
          error instanceof PlatformError
            ? error
            : new PlatformError('refused', (error as Error).message ?? String(error));
        results.push({ couponId: code.couponId, ok: false, error: e });
        if (e.kind === 'unavailable' || e.kind === 'rate-limited' || e.kind === 'auth') stop = e;
      }
    }
    return results;
  },

  /** Sets the cart rule's `active` to 0: refused at the checkout, kept in the back office. */
  async disableCode(ctx, code, ref) {
    if (!/^\d+$/.test(ref)) throw new PlatformError('refused', `"${ref}" is not a cart rule id`);
    const current = await psRequest(ctx, {
      method: 'GET',
      path: `/cart_rules/${ref}`,
      purpose: `read code ${code.code}`,
    });
    if (current.status === 404) return; // gone already
    const body = psJson(current, `read code ${code.code}`) as {
      cart_rule?: Record<string, unknown>;
    };
    const rule = body.cart_rule;
    if (!rule) throw new PlatformError('bad-response', `read code ${code.code}: no cart_rule`);
    if (String(rule.active) === '0') return;
    const response = await psRequest(ctx, {
      method: 'PUT',
      path: `/cart_rules/${ref}`,
      raw: { contentType: 'text/xml', text: cartRuleUpdateXml(rule, false) },
      purpose: `disable code ${code.code}`,
    });
    psJson(response, `disable code ${code.code}`);
  },
};

function missingPermissions(xml: string): string[] {
  const missing: string[] = [];
  for (const [resource, methods] of Object.entries(NEEDED)) {
    const tag = new RegExp(`<${resource}\\b([^>]*)>`).exec(xml)?.[1] ?? null;
    for (const method of methods) {
      if (tag === null || !new RegExp(`\\b${method}="true"`).test(tag)) {
        missing.push(`${resource} ${method.toUpperCase()}`);
      }
    }
  }
  return missing;
}

function explained(ctx: PsContext, error: unknown): unknown {
  if (!(error instanceof PlatformError)) return error;
  if (error.kind === 'auth') {
    return new PlatformError(
      'auth',
      'PrestaShop refused the webservice key: check that it is copied whole and enabled ' +
        '(Advanced Parameters → Webservice). / PrestaShop odrzucił klucz Webservice: sprawdź, czy ' +
        'jest skopiowany w całości i włączony.',
      error.details,
    );
  }
  if (error.kind === 'unavailable' && /webservice is disabled/i.test(error.message)) {
    return new PlatformError(
      'address',
      'The PrestaShop Webservice is switched off: enable it in Advanced Parameters → Webservice. ' +
        '/ Webservice PrestaShop jest wyłączony: włącz go w Parametry zaawansowane → Webservice.',
      error.details,
    );
  }
  if (error.kind === 'unavailable' && error.details.status === undefined) {
    return new PlatformError(
      'address',
      `Cannot reach ${ctx.settings.shopUrl}: ${error.message} / Nie można połączyć się ze sklepem.`,
    );
  }
  return error;
}

async function shopBasics(
  ctx: PsContext,
): Promise<{ languageIds: string[]; currencies: Map<string, string> }> {
  const languages = psList(
    psJson(
      await psRequest(ctx, {
        method: 'GET',
        path: '/languages',
        query: { display: '[id]' },
        purpose: 'read languages',
      }),
      'read languages',
    ),
    'languages',
  );
  const currencies = psList(
    psJson(
      await psRequest(ctx, {
        method: 'GET',
        path: '/currencies',
        query: { display: '[id,iso_code]' },
        purpose: 'read currencies',
      }),
      'read currencies',
    ),
    'currencies',
  );
  return {
    languageIds: languages.map((l) => idString(l.id)).filter((id): id is string => id !== null),
    currencies: new Map(
      currencies.map((c) => [String(c.iso_code ?? '').toUpperCase(), idString(c.id) ?? '']),
    ),
  };
}

/**
 * Finds the code first (the Webservice does not refuse a second cart rule with the same code,
 * so a retry after a lost answer must look before it creates), then creates it.
 */
async function createRule(
  ctx: PsContext,
  code: CodeToPush,
  shared: { languageIds: string[]; currencies: Map<string, string> },
): Promise<string> {
  const existing = psList(
    psJson(
      await psRequest(ctx, {
        method: 'GET',
        path: '/cart_rules',
        query: { 'filter[code]': `[${code.code}]`, display: '[id,code,description]' },
        purpose: `find code ${code.code}`,
      }),
      `find code ${code.code}`,
    ),
    'cart_rules',
  );
  const same = existing.filter((r) => String(r.code).toLowerCase() === code.code.toLowerCase());
  if (same.length) {
    const ours = same.find((r) => String(r.description ?? '').startsWith(lojalMark(code.couponId)));
    if (ours) return idString(ours.id)!;
    throw new PlatformError(
      'refused',
      `create code ${code.code}: PrestaShop already has a cart rule with this code that Lojal ` +
        'did not create / w PrestaShop istnieje już reguła koszyka o tym kodzie',
    );
  }
  const currency = code.discount.kind === 'fixed' ? code.discount.currency : code.currency;
  const currencyId = shared.currencies.get(currency.toUpperCase());
  if (!currencyId) {
    throw new PlatformError('refused', `create code ${code.code}: the shop has no ${currency}`);
  }
  const xml = cartRuleXml(code, {
    now: ctx.now,
    timeZone: ctx.shop.timezone,
    languageIds: shared.languageIds,
    currencyId,
  });
  const response = await psRequest(ctx, {
    method: 'POST',
    path: '/cart_rules',
    raw: { contentType: 'text/xml', text: xml },
    purpose: `create code ${code.code}`,
  });
  if (response.status >= 400) {
    throw new PlatformError(
      'refused',
      `create code ${code.code}: PrestaShop answered ${response.status} ${psErrorText(response)}`,
      { status: response.status },
    );
  }
  const created = psJson(response, `create code ${code.code}`) as {
    cart_rule?: { id?: unknown };
  };
  const id = idString(created.cart_rule?.id);
  if (!id) throw new PlatformError('bad-response', `create code ${code.code}: no cart rule id`);
  return id;
}

function decodeXml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#039;|&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
