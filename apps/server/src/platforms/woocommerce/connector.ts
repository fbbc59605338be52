import { idString } from '../../shared/json.ts';
import {
  PlatformError,
  type CodeToPush,
  type PlatformConnector,
  type PushResult,
} from '../../connections/connector.ts';
import { LOJAL_META_KEY, wooCoupon } from './coupon-terms.ts';
import { pullWoo } from './pull.ts';
import {
  jsonOf,
  wooError,
  wooRequest,
  woocommerceCredentials,
  woocommerceSettings,
  type WooContext,
  type WooCredentials,
  type WooSettings,
} from './rest.ts';

const OVERLAP_MS = 10 * 60_000;

/**
 * WooCommerce (self-hosted WordPress): webhooks bring changes at once (http/routes/webhooks.ts),
 * but a failed delivery is never retried and five failures in a row switch the webhook off, so
 * this pull reconciles every few minutes; codes go out as WooCommerce coupons.
 * Facts: ../shared/INTEGRATIONS.md, "WooCommerce"; merchant guide: docs/integrations/woocommerce.md.
 */
export const woocommerceConnector: PlatformConnector<WooCredentials, WooSettings> = {
  platform: 'woocommerce',
  name: 'WooCommerce',
  credentialsSchema: woocommerceCredentials,
  settingsSchema: woocommerceSettings,
  // WooCommerce has no limit of its own; shared hosts throttle PHP workers. Five a second is
  // gentle for a shop that also serves its shoppers.
  rateLimit: { requests: 5, perMs: 1000 },
  pullEveryMs: 5 * 60_000,
  overlapMs: OVERLAP_MS,

  async test(ctx) {
    await proveReadAccess(ctx);
    await proveWriteAccess(ctx);
    return { accountName: await siteName(ctx) };
  },

  pull(ctx, input) {
    return pullWoo(ctx, input, OVERLAP_MS);
  },

  async pushCodes(ctx, codes) {
    const results: PushResult[] = [];
    let stop: PlatformError | null = null;
    for (const code of codes) {
      if (stop) {
        results.push({ couponId: code.couponId, ok: false, error: stop });
        continue;
      }
      try {
        results.push({ couponId: code.couponId, ok: true, ref: await createCoupon(ctx, code) });
      } catch (error) {
        const e = asPlatformError(error);
        results.push({ couponId: code.couponId, ok: false, error: e });
        // Down, slowed down or locked out: the rest would fail the same way; they wait for the retry.
        if (e.kind === 'unavailable' || e.kind === 'rate-limited' || e.kind === 'auth') stop = e;
      }
    }
    return results;
  },

  /**
   * Moves the coupon to the trash (DELETE without force): WooCommerce finds a code only among
   * published coupons, so a trashed one is refused at the checkout at once, while the merchant
   * still sees it (and its usage) in the trash for 30 days. Setting usage_limit to the usage
   * count would not do: for a code never used that is 0, which WooCommerce reads as unlimited.
   */
  async disableCode(ctx, code, ref) {
    if (!/^\d+$/.test(ref)) {
      throw new PlatformError('refused', `"${ref}" is not a WooCommerce coupon id`);
    }
    const response = await wooRequest(ctx, {
      method: 'DELETE',
      path: `/coupons/${ref}`,
      purpose: `disable code ${code.code}`,
    });
    // 404: gone already; 410: already in the trash. Both are done.
    if (response.status === 200 || response.status === 404 || response.status === 410) return;
    const error = wooError(response);
    throw new PlatformError(
      'refused',
      `disable code ${code.code}: WooCommerce answered ${response.status} ${error.message}`,
      { status: response.status },
    );
  },
};

async function proveReadAccess(ctx: WooContext): Promise<void> {
  let response;
  try {
    response = await wooRequest(ctx, {
      method: 'GET',
      path: '/orders',
      query: { per_page: 1 },
      purpose: 'check the connection',
    });
  } catch (error) {
    throw explained(ctx, error);
  }
  if (response.status === 404) {
    throw new PlatformError(
      'address',
      `No WooCommerce REST API at ${ctx.settings.storeUrl}/wp-json/wc/v3 (404). Check the shop ` +
        "address, that WooCommerce is active, and that permalinks are not set to 'Plain' " +
        '(Settings → Permalinks). / Pod tym adresem nie ma API WooCommerce (404): sprawdź adres ' +
        "sklepu, czy WooCommerce jest włączony i czy bezpośrednie odnośniki nie są ustawione na 'Prosty'.",
      { status: 404 },
    );
  }
  if (response.status !== 200 || !Array.isArray(safeJson(response.text))) {
    throw new PlatformError(
      'address',
      `${ctx.settings.storeUrl} answered ${response.status} without WooCommerce's order list: ` +
        'is this the address of the WordPress site? / Pod tym adresem nie odpowiada WooCommerce: ' +
        'czy to adres strony WordPress?',
      { status: response.status },
    );
  }
}

/**
 * A key with Read access only cannot create coupons. An empty batch (nothing to create, update
 * or delete) changes nothing, and WooCommerce refuses any write with a read-only key before
 * looking at the body.
 */
async function proveWriteAccess(ctx: WooContext): Promise<void> {
  try {
    await wooRequest(ctx, {
      method: 'POST',
      path: '/coupons/batch',
      json: {},
      purpose: 'check the key may create coupons',
    });
  } catch (error) {
    if (error instanceof PlatformError && error.kind === 'auth') {
      throw new PlatformError(
        'auth',
        'The API key can read but not write, so Lojal cannot create coupons: give the key ' +
          'Read/Write permissions (WooCommerce → Settings → Advanced → REST API). / Klucz API ' +
          'pozwala tylko czytać, więc Lojal nie utworzy kuponów: nadaj mu uprawnienia Odczyt/Zapis.',
        error.details,
      );
    }
    throw explained(ctx, error);
  }
}

/** The site's title from the WordPress REST index, for the connection's status; null if hidden. */
async function siteName(ctx: WooContext): Promise<string | null> {
  try {
    const response = await ctx.http.request({
      method: 'GET',
      url: `${ctx.settings.storeUrl}/wp-json/`,
      purpose: 'read the shop name',
    });
    const body = safeJson(response.text) as { name?: unknown } | null;
    return response.status === 200 && typeof body?.name === 'string' && body.name.trim()
      ? body.name.trim()
      : null;
  } catch {
    return null;
  }
}

function explained(ctx: WooContext, error: unknown): unknown {
  if (!(error instanceof PlatformError)) return error;
  if (error.kind === 'auth') {
    const dropped = error.message.includes('woocommerce_rest_cannot_view');
    return new PlatformError(
      'auth',
      dropped
        ? 'WooCommerce did not see the consumer key: check the key, and that the server passes ' +
            'the Authorization header to WordPress (some Apache/CGI hosts drop it). / WooCommerce ' +
            'nie widzi klucza: sprawdź klucz i czy serwer przekazuje nagłówek Authorization.'
        : 'WooCommerce refused the consumer key and secret: copy them again from WooCommerce → ' +
            'Settings → Advanced → REST API. / WooCommerce odrzucił klucz i sekret: skopiuj je ' +
            'ponownie z WooCommerce → Ustawienia → Zaawansowane → REST API.',
      error.details,
    );
  }
  if (error.kind === 'unavailable' && error.details.status === undefined) {
    // No answer at all: a wrong name, a closed port. A 5xx stays `unavailable`.
    return new PlatformError(
      'address',
      `Cannot reach ${ctx.settings.storeUrl}: ${error.message} / Nie można połączyć się ze sklepem.`,
    );
  }
  return error;
}

async function createCoupon(ctx: WooContext, code: CodeToPush): Promise<string> {
  const response = await wooRequest(ctx, {
    method: 'POST',
    path: '/coupons',
    json: wooCoupon(code),
    purpose: `create code ${code.code}`,
  });
  if (response.status === 200 || response.status === 201) {
    const id = idString((jsonOf(response, `create code ${code.code}`) as { id?: unknown })?.id);
    if (!id) throw new PlatformError('bad-response', `create code ${code.code}: no coupon id`);
    return id;
  }
  const error = wooError(response);
  if (error.code === 'woocommerce_rest_coupon_code_already_exists') {
    return existingCoupon(ctx, code);
  }
  throw new PlatformError(
    'refused',
    `create code ${code.code}: WooCommerce answered ${response.status} ${error.code ?? ''} ${error.message}`.replace(
      /\s+/g,
      ' ',
    ),
    { status: response.status },
  );
}

/**
 * The code exists already: a retry after a crash or a lost answer. It is ours when it carries our
 * coupon id in its meta data; a merchant's own coupon with the same code is not taken over.
 */
async function existingCoupon(ctx: WooContext, code: CodeToPush): Promise<string> {
  const response = await wooRequest(ctx, {
    method: 'GET',
    path: '/coupons',
    query: { code: code.code },
    purpose: `find code ${code.code}`,
  });
  const list = response.status === 200 ? jsonOf(response, `find code ${code.code}`) : null;
  const found = (Array.isArray(list) ? list : []).find(
    (c: { code?: unknown }) =>
      typeof c?.code === 'string' && c.code.toLowerCase() === code.code.toLowerCase(),
  ) as { id?: unknown; meta_data?: unknown } | undefined;
  if (!found) {
    throw new PlatformError(
      'refused',
      `create code ${code.code}: WooCommerce says the code exists but does not list it`,
    );
  }
  const meta = Array.isArray(found.meta_data) ? found.meta_data : [];
  const owner = meta.find((m: { key?: unknown }) => m?.key === LOJAL_META_KEY) as
    { value?: unknown } | undefined;
  if (idString(owner?.value) !== code.couponId) {
    throw new PlatformError(
      'refused',
      `create code ${code.code}: WooCommerce already has a coupon with this code that Lojal did ` +
        'not create / w WooCommerce istnieje już kupon o tym kodzie, nieutworzony przez Lojal',
    );
  }
  return idString(found.id)!;
}

function asPlatformError(error: unknown): PlatformError {
  return error instanceof PlatformError
    ? error
    : new PlatformError('refused', (error as Error).message ?? String(error));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
