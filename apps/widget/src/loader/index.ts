import type {
  Brand,
  ChunkContext,
  LojalGlobal,
  PanelApi,
  WidgetConfig,
} from '../shared/context.ts';
import { pickLocale } from '../shared/messages.ts';
import { CHUNK_FILES, chunkRegistry } from './chunks.ts';
import { makeFetchJson } from './fetch-json.ts';
import { hostRoot } from './host.ts';
import { showLauncher } from './launcher.ts';
import { brandStyle } from '../shared/styles.ts';

/**
 * widget.js: `<script src="https://lojal…/widget.js" data-shop="…" data-customer-token="…"
 * async>`. It does little at load (reads its attributes, defines `window.__lojal`); once the
 * browser is idle it asks for the shop's widget settings, shows the launcher and loads the
 * on-site chunks the shop uses. The panel's chunk is fetched on the first interaction.
 *
 * `data-mode="page" data-target="#id"` (the customer portal): no launcher; the panel is
 * rendered full size into that element straight away.
 */
function boot(script: HTMLScriptElement): void {
  const data = script.dataset;
  const shopId = data.shop;
  if (!shopId || window.__lojal) return;
  const api = new URL(script.src, location.href).origin;
  const locale = pickLocale(data.locale, document.documentElement.lang);
  // Shopify's App Proxy (`data-proxy="/apps/lojal"`): the shop's own address forwards to this
  // shop's storefront routes and vouches for the signed-in customer, so no token is needed.
  const base = data.proxy
    ? new URL(data.proxy, location.href).href.replace(/\/$/, '')
    : `${api}/storefront/v1/shops/${encodeURIComponent(shopId)}`;
  const brand: Brand = { logoUrl: null, primaryColor: null, accentColor: null };
  const token = data.customerToken?.trim() || null;
  const mode = data.mode === 'page' ? 'page' : 'launcher';

  const registry = chunkRegistry(() => ctx);
  const ctx: ChunkContext = {
    shopId,
    api,
    base,
    locale,
    token,
    brand,
    mode,
    proxied: Boolean(data.proxy),
    root: (name) => {
      const root = hostRoot(name);
      brandStyle(root.host as HTMLElement, ctx.brand);
      return root;
    },
    fetchJson: makeFetchJson(base, locale, () => ctx.token, Boolean(data.proxy)),
    load: (name) => registry.load(name),
  };
  const lojal: LojalGlobal = { define: registry.define, load: registry.load, ctx };
  window.__lojal = lojal;

  const panel = () => registry.load<PanelApi>('panel');

  if (mode === 'page') {
    const target = document.querySelector(data.target ?? '#lojal-portal');
    if (target) void panel().then((p) => p.mount(target));
    return;
  }

  idle(async () => {
    let config: WidgetConfig | null = null;
    try {
      config = await ctx.fetchJson<WidgetConfig>(
        `/widget?path=${encodeURIComponent(location.pathname)}`,
      );
    } catch (error) {
      // An unknown shop has no widget; anything else still gets the launcher.
      if ((error as { status?: number }).status === 404) return;
    }
    if (config) Object.assign(brand, config.brand);
    const prefetch = () => void panel().catch(() => undefined);
    showLauncher(locale, brand, prefetch, (button) => {
      panel().then(
        (p) => p.open(button),
        () => undefined,
      );
    });
    const wanted = new Set(config?.onsite ?? []);
    if (CHUNK_FILES.reviews && document.querySelector('[data-lojal-reviews]'))
      wanted.add('reviews');
    for (const name of wanted) {
      if (CHUNK_FILES[name]) registry.load(name).catch(() => undefined);
    }
  });
}

/** After the page's own work: requestIdleCallback where there is one (not in Safari). */
function idle(run: () => void): void {
  const start = () =>
    'requestIdleCallback' in window
      ? requestIdleCallback(run, { timeout: 3000 })
      : setTimeout(run, 200);
  if (document.readyState === 'complete') start();
  else addEventListener('load', start, { once: true });
}

const script = document.currentScript as HTMLScriptElement | null;
if (script?.src) boot(script);
