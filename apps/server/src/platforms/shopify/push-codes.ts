import { PlatformError, type CodeToPush, type PushResult } from '../../connections/connector.ts';
import {
  isCodeTaken,
  list,
  obj,
  shopifyGraphql,
  userErrorMessage,
  type ShopifyContext,
} from './graphql.ts';
import { campaignTitle, discountInput } from './discount-terms.ts';
import {
  BASIC_CREATE,
  BULK_ADD,
  BULK_CREATION_QUERY,
  CAMPAIGN_LOOKUP_QUERY,
  CODE_LOOKUP_QUERY,
  DEACTIVATE,
  FREE_SHIPPING_CREATE,
  REDEEM_CODE_DELETE,
} from './queries.ts';

/** Shopify takes at most 250 codes in one discountRedeemCodeBulkAdd. */
export const BULK_MAX = 250;
/** How often a push asks whether an asynchronous bulk creation has run before leaving it for the next push. */
const BULK_POLLS = 10;

/** Errors that would fail every following call too: the rest of the batch waits for a retry. */
const STOPS_BATCH = new Set(['auth', 'address', 'rate-limited', 'unavailable']);

/**
 * Creates Lojal's codes in Shopify. A customer's code is one code discount of its own; the
 * codes of one campaign share ONE discount (the first creates it, the rest join it with
 * discountRedeemCodeBulkAdd, 250 a call). Idempotent: a code Shopify says is taken is looked
 * up with codeDiscountNodeByCode and, when it is Lojal's (the title matches), its discount is
 * the ref; a code taken by another discount is refused.
 */
export async function pushShopifyCodes(
  ctx: ShopifyContext,
  codes: CodeToPush[],
): Promise<PushResult[]> {
  const results = new Map<string, PushResult>();
  let stop: PlatformError | null = null;
  const fail = (code: CodeToPush, error: PlatformError) =>
    results.set(code.couponId, { couponId: code.couponId, ok: false, error });

  const campaigns = new Map<string, CodeToPush[]>();
  for (const code of codes) {
    if (code.campaign) {
      const group = campaigns.get(code.campaign.id) ?? [];
      group.push(code);
      campaigns.set(code.campaign.id, group);
      continue;
    }
    if (stop) {
      fail(code, stop);
      continue;
    }
    try {
      const ref = await pushSingle(ctx, code);
      results.set(code.couponId, { couponId: code.couponId, ok: true, ref });
    } catch (error) {
      const e = asPlatformError(error);
      fail(code, e);
      if (STOPS_BATCH.has(e.kind)) stop = e;
    }
  }
  for (const group of campaigns.values()) {
    if (stop) {
      for (const code of group) fail(code, stop);
      continue;
    }
    try {
      for (const [couponId, result] of await pushCampaign(ctx, group))
        results.set(couponId, result);
    } catch (error) {
      const e = asPlatformError(error);
      for (const code of group) if (!results.has(code.couponId)) fail(code, e);
      if (STOPS_BATCH.has(e.kind)) stop = e;
    }
  }
  return codes.map((code) => results.get(code.couponId)!);
}

async function pushSingle(ctx: ShopifyContext, code: CodeToPush): Promise<string> {
  const { mutation, input } = discountInput(code, ctx.now, { code: code.code, title: code.title });
  let payload = await create(ctx, mutation, input, code.code);
  if (!createdId(payload) && refusesCustomer(payload)) {
    // The customer is not (or no longer) in Shopify: the code still has one use, for anyone.
    payload = await create(
      ctx,
      mutation,
      { ...input, customerSelection: { all: true } },
      code.code,
    );
  }
  const id = createdId(payload);
  if (id) return id;
  if (isCodeTaken(payload)) return existingOf(ctx, code.code, (title) => title === code.title);
  throw new PlatformError('refused', `create code ${code.code}: ${userErrorMessage(payload)}`);
}

async function pushCampaign(
  ctx: ShopifyContext,
  group: CodeToPush[],
): Promise<Map<string, PushResult>> {
  const results = new Map<string, PushResult>();
  const campaign = group[0]!.campaign!;
  const title = campaignTitle(campaign);
  const ours = (found: string) => found.endsWith(`[${campaign.id}]`);
  let pending = group;
  let discountId = await findCampaignDiscount(ctx, campaign.id);
  if (!discountId) {
    // The campaign's first code creates its discount, with the terms every code shares.
    const first = group[0]!;
    const { mutation, input } = discountInput(
      { ...first, customerExternalId: null, customerEmail: null },
      ctx.now,
      { code: first.code, title },
    );
    const payload = await create(ctx, mutation, input, first.code);
    discountId = createdId(payload);
    if (!discountId && isCodeTaken(payload)) discountId = await existingOf(ctx, first.code, ours);
    if (!discountId) {
      throw new PlatformError(
        'refused',
        `create campaign ${campaign.name}: ${userErrorMessage(payload)}`,
      );
    }
    results.set(first.couponId, { couponId: first.couponId, ok: true, ref: discountId });
    pending = group.slice(1);
  }
  for (let i = 0; i < pending.length; i += BULK_MAX) {
    const chunk = pending.slice(i, i + BULK_MAX);
    for (const [couponId, result] of await bulkAdd(ctx, discountId, chunk, ours)) {
      results.set(couponId, result);
    }
  }
  return results;
}

async function bulkAdd(
  ctx: ShopifyContext,
  discountId: string,
  chunk: CodeToPush[],
  ours: (title: string) => boolean,
): Promise<Map<string, PushResult>> {
  const results = new Map<string, PushResult>();
  const data = await shopifyGraphql(
    ctx,
    BULK_ADD,
    { discountId, codes: chunk.map((c) => ({ code: c.code })) },
    `add ${chunk.length} codes to ${discountId}`,
  );
  const payload = obj(data.discountRedeemCodeBulkAdd);
  const bulkId = obj(payload?.bulkCreation)?.id;
  if (typeof bulkId !== 'string') {
    throw new PlatformError(
      'refused',
      `add codes to ${discountId}: ${userErrorMessage(payload) ?? 'no bulk creation started'}`,
    );
  }
  let creation: Record<string, unknown> | null = null;
  for (let poll = 0; poll < BULK_POLLS; poll++) {
    const answer = await shopifyGraphql(
      ctx,
      BULK_CREATION_QUERY,
      { id: bulkId },
      `check bulk creation ${bulkId}`,
    );
    creation = obj(answer.discountRedeemCodeBulkCreation);
    if (creation?.done === true) break;
  }
  if (creation?.done !== true) {
    const waiting = new PlatformError(
      'unavailable',
      `Shopify is still creating the codes of ${discountId}; checked again on the next push`,
    );
    for (const c of chunk)
      results.set(c.couponId, { couponId: c.couponId, ok: false, error: waiting });
    return results;
  }
  const outcome = new Map(list(obj(creation.codes)?.nodes).map((n) => [String(n.code), n]));
  for (const c of chunk) {
    const node = outcome.get(c.code);
    if (node && obj(node.discountRedeemCode)) {
      results.set(c.couponId, { couponId: c.couponId, ok: true, ref: discountId });
      continue;
    }
    const errors = { userErrors: node?.errors ?? [] };
    if (node && !isCodeTaken(errors)) {
      results.set(c.couponId, {
        couponId: c.couponId,
        ok: false,
        error: new PlatformError(
          'refused',
          `add code ${c.code}: ${userErrorMessage(errors) ?? 'not created'}`,
        ),
      });
      continue;
    }
    // Taken (a retry after a crash), or not reported: it counts if it is on this discount.
    try {
      const ref = await existingOf(ctx, c.code, ours);
      if (ref !== discountId)
        throw new PlatformError(
          'refused',
          `code ${c.code} belongs to another Lojal campaign discount`,
        );
      results.set(c.couponId, { couponId: c.couponId, ok: true, ref });
    } catch (error) {
      const e = asPlatformError(error);
      if (STOPS_BATCH.has(e.kind)) throw e;
      results.set(c.couponId, { couponId: c.couponId, ok: false, error: e });
    }
  }
  return results;
}

async function create(
  ctx: ShopifyContext,
  mutation: 'basic' | 'free_shipping',
  input: Record<string, unknown>,
  code: string,
): Promise<Record<string, unknown> | null> {
  const data = await shopifyGraphql(
    ctx,
    mutation === 'basic' ? BASIC_CREATE : FREE_SHIPPING_CREATE,
    { input },
    `create code ${code}`,
  );
  return obj(
    data[mutation === 'basic' ? 'discountCodeBasicCreate' : 'discountCodeFreeShippingCreate'],
  );
}

function refusesCustomer(payload: Record<string, unknown> | null): boolean {
  return list(payload?.userErrors).some(
    (e) =>
      Array.isArray(e.field) &&
      e.field.includes('customerSelection') &&
      !isCodeTaken({ userErrors: [e] }),
  );
}

function createdId(payload: Record<string, unknown> | null): string | null {
  const id = obj(payload?.codeDiscountNode)?.id;
  return typeof id === 'string' ? id : null;
}

/** The discount that holds `code`, when Lojal made it (its title passes `ours`). */
async function existingOf(
  ctx: ShopifyContext,
  code: string,
  ours: (title: string) => boolean,
): Promise<string> {
  const data = await shopifyGraphql(ctx, CODE_LOOKUP_QUERY, { code }, `look up code ${code}`);
  const node = obj(data.codeDiscountNodeByCode);
  const id = node?.id;
  if (typeof id !== 'string') {
    throw new PlatformError(
      'refused',
      `code ${code}: Shopify says it is taken but does not find it`,
    );
  }
  const title = obj(node!.codeDiscount)?.title;
  if (typeof title !== 'string' || !ours(title)) {
    throw new PlatformError(
      'refused',
      `code ${code} already exists in Shopify for another discount ("${String(title ?? '')}")`,
    );
  }
  return id;
}

async function findCampaignDiscount(
  ctx: ShopifyContext,
  campaignId: string,
): Promise<string | null> {
  const data = await shopifyGraphql(
    ctx,
    CAMPAIGN_LOOKUP_QUERY,
    { query: `title:'${campaignId}'` },
    `find the discount of campaign ${campaignId}`,
  );
  for (const node of list(obj(data.codeDiscountNodes)?.nodes)) {
    const title = obj(node.codeDiscount)?.title;
    if (
      typeof title === 'string' &&
      title.endsWith(`[${campaignId}]`) &&
      typeof node.id === 'string'
    ) {
      return node.id;
    }
  }
  return null;
}

/**
 * Makes a code unusable: a customer's own discount is deactivated; a campaign code is deleted
 * from the campaign's discount (its other codes keep working). Already gone counts as done.
 */
export async function disableShopifyCode(
  ctx: ShopifyContext,
  code: CodeToPush,
  ref: string,
): Promise<void> {
  if (code.campaign) {
    const data = await shopifyGraphql(
      ctx,
      REDEEM_CODE_DELETE,
      { discountId: ref, search: `code:'${code.code}'` },
      `delete code ${code.code}`,
    );
    const payload = obj(data.discountCodeRedeemCodeBulkDelete);
    if (userErrorMessage(payload) && !isGone(payload)) {
      throw new PlatformError('refused', `delete code ${code.code}: ${userErrorMessage(payload)}`);
    }
    return;
  }
  const data = await shopifyGraphql(ctx, DEACTIVATE, { id: ref }, `deactivate code ${code.code}`);
  const payload = obj(data.discountCodeDeactivate);
  if (userErrorMessage(payload) && !isGone(payload)) {
    throw new PlatformError(
      'refused',
      `deactivate code ${code.code}: ${userErrorMessage(payload)}`,
    );
  }
}

function isGone(payload: Record<string, unknown> | null): boolean {
  return list(payload?.userErrors).some(
    (e) =>
      e.code === 'NOT_FOUND' ||
      /does not exist|not found|already (expired|deactivated)/i.test(String(e.message ?? '')),
  );
}

function asPlatformError(error: unknown): PlatformError {
  if (error instanceof PlatformError) return error;
  return new PlatformError('bad-response', (error as Error).message ?? String(error));
}
