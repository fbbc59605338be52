/**
 * What the loader (widget.js) hands to every chunk it loads. A chunk file registers itself with
 * `window.__lojal.define('<name>', (ctx) => api)`; the loader, or another chunk, gets `api` with
 * `ctx.load('<name>')` (a promise, loaded once).
 */
export type Locale = 'pl' | 'en';

export interface Brand {
  logoUrl: string | null;
  primaryColor: string | null;
  accentColor: string | null;
}

/** A problem+json answer (or a network failure, status 0) from a storefront route. */
export interface FetchError extends Error {
  status: number;
  problem: { type?: string; title?: string; detail?: string } | null;
}

export interface FetchInit extends Omit<RequestInit, 'body'> {
  /** Sent as the JSON body (content-type set). */
  json?: unknown;
  /** Without the customer token: public reads stay simple requests (no CORS preflight). */
  anonymous?: boolean;
}

export interface ChunkContext {
  shopId: string;
  /** Lojal's origin, from the script's own address (`https://lojal.example`). */
  api: string;
  /** `${api}/storefront/v1/shops/${shopId}`: what fetchJson's paths are relative to. */
  base: string;
  locale: Locale;
  /** The customer token (a JWT) from `data-customer-token`, or null for a guest. */
  token: string | null;
  /** The shop's brand kit; filled in when the loader's `/widget` answer arrives. */
  brand: Brand;
  /** `launcher` on a shop's page; `page` when a page mounts the panel itself (the portal). */
  mode: 'launcher' | 'page';
  /** Calls go through Shopify's App Proxy (`data-proxy`): the shop vouches for the shopper. */
  proxied: boolean;
  /**
   * The shadow root of this chunk's own host element (`<lojal-NAME>`, fixed, outside the page's
   * layout), made on first call. Open, so tests and axe can look inside.
   */
  root(name: string): ShadowRoot;
  /** `fetch(base + path)` with the token, the language and no cookies; JSON in and out. */
  fetchJson<T>(path: string, init?: FetchInit): Promise<T>;
  /** Another chunk's api (loads its file once). */
  load<T = unknown>(name: string): Promise<T>;
}

export type ChunkFactory = (ctx: ChunkContext) => unknown;

export interface LojalGlobal {
  define(name: string, factory: ChunkFactory): void;
  load<T = unknown>(name: string): Promise<T>;
  ctx: ChunkContext;
}

declare global {
  interface Window {
    __lojal?: LojalGlobal;
  }
}

/** The panel chunk's api. */
export interface PanelApi {
  /** Opens the dialog; focus returns to `opener` when it closes. */
  open(opener?: HTMLElement | null): void;
  close(): void;
  /** Renders the panel inline, full size, into `target` (its own shadow root): the portal. */
  mount(target: Element): void;
}

/** The `/widget` answer the loader fetches once idle. */
export interface WidgetConfig {
  brand: Brand;
  onsite: string[];
}
