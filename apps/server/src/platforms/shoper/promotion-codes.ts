import { currencyExponent } from '../../shared/money.ts';
import { idString } from '../../shared/json.ts';
import { wallClockText } from '../../shared/zoned-time.ts';
import { PlatformError, type CodeToPush, type PushResult } from '../../connections/connector.ts';
import { jsonOf, refusalOf, type ShoperCtx, type ShoperSession } from './webapi.ts';

/**
 * Lojal's codes as Shoper promotion codes (`webapi/rest/promotion-codes`). Field names come from
 * public clients and a shop's own answers (code_id, code, name, discount_type, discount,
 * max_discount_amount, min_amount, time_from, time_to, usage_limit, peruser_limit,
 * products_limit, categories_limit, additional_free_shipping, active); the VALUES of
 * `discount_type` are *unverified*: 1 percent, 2 amount, as for special offers' sibling enum.
 * Shoper cannot restrict a code to one customer (only to customer groups), nor exclude products.
 */
export const DISCOUNT_PERCENT = 1;
export const DISCOUNT_AMOUNT = 2;

export function promotionCodeBody(
  code: CodeToPush,
  ctx: ShoperCtx,
): Record<string, string | number | string[]> {
  const zone = ctx.shop.timezone;
  const major = (minor: number, currency: string) =>
    (minor / 10 ** currencyExponent(currency)).toFixed(currencyExponent(currency));
  const body: Record<string, string | number | string[]> = {
    name: code.title.slice(0, 255),
    code: code.code,
    active: 1,
    global: 0,
    time_from: wallClockText(code.startsAt ?? ctx.now, zone),
    usage_limit: code.usageLimit ?? 0,
    peruser_limit: code.usageLimitPerCustomer ?? 0,
  };
  if (code.expiresAt) body.time_to = wallClockText(code.expiresAt, zone);
  if (code.minBasket !== null) body.min_amount = major(code.minBasket, code.currency);
  if (code.productIds.length > 0) body.products_limit = code.productIds;
  if (code.categoryIds.length > 0) body.categories_limit = code.categoryIds;
  const d = code.discount;
  switch (d.kind) {
    case 'fixed':
      if (d.currency !== ctx.shop.currency) {
        throw new PlatformError(
          'refused',
          `code ${code.code}: an amount in ${d.currency} cannot be created in a shop selling in ${ctx.shop.currency}`,
        );
      }
      body.discount_type = DISCOUNT_AMOUNT;
      body.discount = major(d.amount, d.currency);
      break;
    case 'percentage':
      body.discount_type = DISCOUNT_PERCENT;
      body.discount = d.percent.toFixed(2);
      if (d.cap != null) body.max_discount_amount = major(d.cap, d.currency ?? code.currency);
      break;
    case 'free_shipping':
      body.discount_type = DISCOUNT_PERCENT;
      body.discount = '0.00';
      body.additional_free_shipping = 1;
      break;
    case 'free_product':
      throw new PlatformError(
        'refused',
        `code ${code.code}: Shoper promotion codes cannot give a free product`,
      );
  }
  return body;
}

/** The promotion code with exactly this code, if the shop has one: its code_id. */
async function findCode(session: ShoperSession, code: string): Promise<string | null> {
  const answer = await session.list('promotion-codes', {
    filters: { code },
    limit: 10,
    purpose: `look up code ${code}`,
  });
  // The filter may match loosely: only an exact code is the same one.
  const row = answer.list.find((r) => r.code === code);
  return row ? idString(row.code_id) : null;
}

export async function pushPromotionCodes(
  session: ShoperSession,
  ctx: ShoperCtx,
  codes: CodeToPush[],
): Promise<PushResult[]> {
  const results: PushResult[] = [];
  for (const code of codes) {
    try {
      const body = promotionCodeBody(code, ctx);
      // A retry after a crash finds the code created the first time.
      const existing = await findCode(session, code.code);
      if (existing) {
        results.push({ couponId: code.couponId, ok: true, ref: existing });
        continue;
      }
      const answer = await session.call({
        method: 'POST',
        path: 'promotion-codes',
        json: body,
        purpose: `create code ${code.code}`,
      });
      if (answer.status !== 200 && answer.status !== 201) {
        throw refusalOf(answer, `create code ${code.code}`);
      }
      // Shoper answers an insert with the new id, bare (or as {"code_id": …}).
      const text = answer.text.trim();
      const ref = /^"?\d+"?$/.test(text)
        ? text.replace(/"/g, '')
        : idString(jsonOf(answer, `create code ${code.code}`).code_id);
      if (!ref) {
        throw new PlatformError('bad-response', `create code ${code.code}: no id in the answer`);
      }
      results.push({ couponId: code.couponId, ok: true, ref });
    } catch (error) {
      if (!(error instanceof PlatformError)) throw error;
      // Down, rate-limited or signed out: the whole batch waits; a refusal is this code's alone.
      if (error.kind !== 'refused' && error.kind !== 'bad-response') throw error;
      results.push({ couponId: code.couponId, ok: false, error });
    }
  }
  return results;
}

export async function disablePromotionCode(
  session: ShoperSession,
  code: CodeToPush,
  ref: string,
): Promise<void> {
  const answer = await session.call({
    method: 'PUT',
    path: `promotion-codes/${encodeURIComponent(ref)}`,
    json: { active: 0 },
    purpose: `disable code ${code.code}`,
  });
  if (answer.status === 404) return; // already gone
  if (answer.status !== 200) throw refusalOf(answer, `disable code ${code.code}`);
}
