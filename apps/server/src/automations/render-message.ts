import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { customerView, customerViewsByIds, type CustomerView } from '../customers/customer-view.ts';
import type { Db } from '../db/connect.ts';
import type { DiscountSpec } from '../coupons/coupon-decision.ts';
import { defaultBrandKit, brandKitSchema, type BrandKit } from '../messaging/brand-kit.ts';
import type { EmailTemplate } from '../messaging/render-email.ts';
import { TemplateLimitError } from '../messaging/render-limits.ts';
import { TemplateError } from '../messaging/template-error.ts';
import { textsOrThrow, type TemplateRenderer } from '../messaging/template-renderer.ts';
import { readyTemplates, type TemplateKey } from '../messaging/ready-templates.ts';
import type { TemplateVariables } from '../messaging/template-variables.ts';
import { createSurveyRequest } from '../surveys/create-survey-request.ts';
import type { SigningKeys } from '../shared/signed-token.ts';
import type { Clock } from '../shared/clock.ts';
import { formatMoney, isLocale, type Locale } from '../shared/i18n.ts';
import type { ShopRow } from '../shops/shop.ts';
import type { GrantOutcome } from './grant-step.ts';
import { messageLinks } from './message-links.ts';
import { referralLink } from '../referrals/referral-code.ts';
import type { MessagingSettings } from './messaging-settings.ts';

export interface MessageToRender {
  shop_id: string;
  id: string;
  customer_id: string | null;
  channel: 'email' | 'sms' | 'push' | 'webhook';
  template_key: string;
  locale: string;
  variables: Record<string, unknown>;
  flow_id: string | null;
  run_id: string | null;
  step_id: string | null;
}

export type RenderedMessage =
  | { channel: 'email'; subject: string; html: string; text: string; unsubscribeUrl: string }
  | { channel: 'sms'; text: string }
  | { channel: 'push'; title: string; body: string; url?: string }
  | { channel: 'webhook'; body: string };

export interface RenderDeps {
  keys: SigningKeys;
  publicUrl: string;
  /** Where templates are rendered: the processor thread's render pool. */
  renderer: TemplateRenderer;
}

/**
 * What the messages of one delivery round share: the templates read, and each template's first
 * render. The other messages of a template wait for that one; if it ran out of Liquid time or
 * memory they fail at once, rather than each holding a render worker for seconds while other
 * shops' messages wait.
 */
export interface RenderRound {
  templates: Map<string, ReturnType<typeof templateFor>>;
  firstRenders: Map<string, Promise<void>>;
  exhausted: Map<string, TemplateLimitError>;
  /** The customers' facts read for the whole round at once, by `${shopId} ${customerId}`. */
  facts: Map<string, Promise<CustomerView | undefined>>;
}

export function newRenderRound(): RenderRound {
  return { templates: new Map(), firstRenders: new Map(), exhausted: new Map(), facts: new Map() };
}

/**
 * Reads the facts of every customer the messages are for, one statement per shop, into the
 * round: a batch of messages costs one customer read, not one per message. A message whose
 * customer is not found reads it again on its own (and fails as it would have).
 */
export function readFactsForRound(
  db: Kysely<Database>,
  round: RenderRound,
  shops: Map<string, ShopRow>,
  messages: Array<{ shop_id: string; customer_id: string | null }>,
  now: Date,
): void {
  const byShop = new Map<string, string[]>();
  for (const m of messages) {
    if (!m.customer_id || round.facts.has(`${m.shop_id} ${m.customer_id}`)) continue;
    byShop.set(m.shop_id, [...(byShop.get(m.shop_id) ?? []), m.customer_id]);
  }
  for (const [shopId, ids] of byShop) {
    const views = customerViewsByIds(db as Db, shops.get(shopId)!, ids, now);
    // a failed batch read leaves each message to read its own customer
    views.catch(() => undefined);
    for (const id of ids) {
      round.facts.set(
        `${shopId} ${id}`,
        views.then(
          (all) => all.get(id),
          () => undefined,
        ),
      );
    }
  }
}

const SURVEY_TEMPLATES: Record<string, 'nps' | 'csat'> = {
  'welcome.review_request': 'nps',
  nps_survey: 'nps',
  csat_survey: 'csat',
};

/**
 * Turns a queued message into what its channel sends: the merchant's version of the template
 * (or the ready-made one) filled with the customer's facts as they are now — points, tier,
 * referral link — plus what the flow gave (a coupon) and the message's own links.
 */
export async function renderMessage(
  db: Kysely<Database>,
  clock: Clock,
  deps: RenderDeps,
  shop: ShopRow,
  settings: MessagingSettings,
  message: MessageToRender,
  round: RenderRound = newRenderRound(),
): Promise<RenderedMessage> {
  const now = clock.now();
  const locale: Locale = isLocale(message.locale) ? message.locale : 'en';
  if (message.channel === 'webhook') {
    return {
      channel: 'webhook',
      body: JSON.stringify({
        type: 'flow.step',
        shopId: shop.id,
        messageId: message.id,
        flowId: message.flow_id,
        runId: message.run_id,
        stepId: message.step_id,
        customer: message.customer_id
          ? await customerFacts(db, shop, message.customer_id, now, round)
          : null,
        context: message.variables.context ?? {},
        sentAt: now.toISOString(),
      }),
    };
  }
  const customerId = message.customer_id!;
  const links = messageLinks(
    deps.keys,
    deps.publicUrl,
    { shopId: shop.id, customerId, messageId: message.id },
    now,
  );
  const templateKey = `${shop.id} ${message.template_key} ${message.channel} ${locale}`;
  const first = round.firstRenders.get(templateKey);
  let rendered = () => {};
  if (first) await first;
  else round.firstRenders.set(templateKey, new Promise<void>((done) => (rendered = done)));
  try {
    const exhausted = round.exhausted.get(templateKey);
    if (exhausted) throw exhausted;
    const variables = await templateVariables(db, clock, deps, shop, message, locale, links, round);
    if (!round.templates.has(templateKey))
      round.templates.set(
        templateKey,
        templateFor(db, shop.id, message.template_key, message.channel, locale),
      );
    const template = await round.templates.get(templateKey)!;
    return await renderWith(deps.renderer, shop, settings, message.channel, locale, template, {
      variables,
      links,
    });
  } catch (error) {
    if (error instanceof TemplateLimitError && COSTLY_LIMITS.has(error.limit)) {
      round.exhausted.set(templateKey, error);
    }
    throw error;
  } finally {
    rendered();
  }
}

// Limits a render reaches only after spending its time or memory; the others cost little.
const COSTLY_LIMITS = new Set(['render-time', 'memory']);

async function renderWith(
  renderer: TemplateRenderer,
  shop: ShopRow,
  settings: MessagingSettings,
  channel: 'email' | 'sms' | 'push',
  locale: Locale,
  template: Awaited<ReturnType<typeof templateFor>>,
  { variables, links }: { variables: TemplateVariables; links: ReturnType<typeof messageLinks> },
): Promise<RenderedMessage> {
  const owner = { owner: shop.id };
  if (channel === 'email') {
    const brand = parsedBrand(settings.brand);
    const rendered = await renderer.renderEmail(
      {
        template: template as EmailTemplate,
        variables,
        brand,
        locale,
        footer: {
          shopName: settings.senderName ?? shop.name,
          ...(settings.postalAddress ? { shopAddress: settings.postalAddress } : {}),
          unsubscribeUrl: links.unsubscribe,
          preferencesUrl: links.preferences,
        },
        ...(settings.tracking
          ? { tracking: { clickUrl: links.click, openPixelUrl: links.openPixel } }
          : {}),
      },
      owner,
    );
    return { channel: 'email', ...rendered, unsubscribeUrl: links.unsubscribe };
  }
  if (channel === 'sms') {
    const fields = { text: template as string };
    const { text } = textsOrThrow(await renderer.renderTexts({ fields, variables, locale }, owner));
    return { channel: 'sms', text: text! };
  }
  const fields = template as { title: string; body: string };
  const push = textsOrThrow(await renderer.renderTexts({ fields, variables, locale }, owner));
  return {
    channel: 'push',
    title: push.title!,
    body: push.body!,
    ...(variables.shop.url ? { url: variables.shop.url } : {}),
  };
}

function parsedBrand(saved: Record<string, unknown>): BrandKit {
  const parsed = brandKitSchema.safeParse({ ...defaultBrandKit, ...saved });
  return parsed.success ? (parsed.data as BrandKit) : defaultBrandKit;
}

/** The merchant's edit of a template for this channel and language, else the ready-made one. */
export async function templateFor(
  db: Kysely<Database>,
  shopId: string,
  key: string,
  channel: 'email' | 'sms' | 'push',
  locale: Locale,
): Promise<EmailTemplate | string | { title: string; body: string }> {
  const own = await db
    .selectFrom('message_templates')
    .select('content')
    .where('shop_id', '=', shopId)
    .where('template_key', '=', key)
    .where('channel', '=', channel)
    .where('locale', '=', locale)
    .executeTakeFirst();
  if (own) return channel === 'sms' ? String(own.content.text) : (own.content as never);
  const ready = readyTemplates[key as TemplateKey];
  const version = ready?.[channel]?.[locale];
  if (version === undefined)
    throw new TemplateError(`no ${channel} template "${key}" in ${locale}`, []);
  return version;
}

async function customerFacts(
  db: Kysely<Database>,
  shop: ShopRow,
  customerId: string,
  now: Date,
  round: RenderRound,
): Promise<CustomerView> {
  const read = await round.facts.get(`${shop.id} ${customerId}`);
  if (read) return read;
  const c = await db
    .selectFrom('customers')
    .select('external_id')
    .where('shop_id', '=', shop.id)
    .where('id', '=', customerId)
    .executeTakeFirstOrThrow();
  return customerView(db as Db, shop, c.external_id, now);
}

function discountText(d: DiscountSpec | undefined, locale: Locale): string {
  if (!d) return '';
  if (d.kind === 'fixed') return formatMoney(d.amount, d.currency, locale);
  if (d.kind === 'percentage') return `${d.percent}%`;
  if (d.kind === 'free_shipping') return locale === 'pl' ? 'darmowa dostawa' : 'free shipping';
  return locale === 'pl' ? 'prezent' : 'a gift';
}

async function templateVariables(
  db: Kysely<Database>,
  clock: Clock,
  deps: RenderDeps,
  shop: ShopRow,
  message: MessageToRender,
  locale: Locale,
  links: ReturnType<typeof messageLinks>,
  round: RenderRound,
): Promise<TemplateVariables> {
  const now = clock.now();
  const view = await customerFacts(db, shop, message.customer_id!, now, round);
  const grant = message.variables.grant as GrantOutcome | undefined;
  const context = (message.variables.context ?? {}) as Record<string, unknown>;
  const storefront = shop.storefront_url ?? undefined;
  const variables: TemplateVariables = {
    shop: {
      name: shop.name,
      ...(storefront ? { url: storefront } : {}),
      currency: shop.currency,
      timezone: shop.timezone,
    },
    customer: {
      ...(view.firstName ? { firstName: view.firstName } : {}),
      ...(view.lastName ? { lastName: view.lastName } : {}),
      ...(view.email ? { email: view.email } : {}),
      externalId: view.id,
    },
    points: {
      available: view.points.available,
      pending: view.points.pending,
      ...(view.points.expiringSoon[0]
        ? {
            expiringAmount: view.points.expiringSoon.reduce((s, e) => s + e.points, 0),
            expiringAt: view.points.expiringSoon[0].expiresAt,
          }
        : {}),
    },
    links: {
      ...(storefront ? { shop: storefront } : {}),
      preferences: links.preferences,
      unsubscribe: links.unsubscribe,
    },
    context,
  };
  if (view.tier?.current) {
    variables.tier = {
      name: view.tier.current.name[locale],
      measure: view.tier.metric === 'points_earned' ? 'points' : view.tier.metric,
      ...(view.tier.next
        ? { nextTierName: view.tier.next.name[locale], toNext: view.tier.next.needed }
        : {}),
    };
  }
  if (grant?.couponCode) {
    variables.coupon = {
      code: grant.couponCode,
      discountText: discountText(grant.discount, locale),
      ...(grant.expiresAt ? { expiresAt: grant.expiresAt } : {}),
      ...(grant.minBasket ? { minBasket: grant.minBasket } : {}),
    };
  }
  if (view.referralCode) {
    variables.referral = {
      code: view.referralCode,
      link: referralLink(deps.publicUrl, shop.slug, view.referralCode),
    };
  }
  const surveyKind = SURVEY_TEMPLATES[message.template_key];
  if (surveyKind) {
    const survey = await createSurveyRequest(db as Db, clock, deps.keys, {
      shopId: shop.id,
      customerId: message.customer_id!,
      kind: surveyKind,
      messageId: message.id,
      ...(message.run_id ? { runId: message.run_id } : {}),
      publicUrl: deps.publicUrl,
      locale,
    });
    variables.survey =
      surveyKind === 'nps'
        ? { npsUrls: survey.answerUrls }
        : { npsUrls: [], csatUrls: survey.answerUrls };
  }
  return variables;
}
