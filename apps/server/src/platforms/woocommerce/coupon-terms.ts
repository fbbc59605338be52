import { PlatformError, type CodeToPush } from '../../connections/connector.ts';
import { minorToDecimal, percentText } from '../decimal-amount.ts';
import { gmt } from './pull.ts';

/** The meta key that marks a coupon as Lojal's, with Lojal's coupon id as its value. */
export const LOJAL_META_KEY = 'lojal_coupon_id';

/**
 * Lojal's terms as a WooCommerce REST v3 coupon (POST /wp-json/wc/v3/coupons). WooCommerce holds
 * every term but three: a start date (a code works from its creation), a cap on a percentage
 * discount, and a restriction to a customer other than by e-mail (email_restrictions is the only
 * one). A free product is "100 % off that product, one item" (limit_usage_to_x_items).
 */
export function wooCoupon(code: CodeToPush): Record<string, unknown> {
  const coupon: Record<string, unknown> = {
    code: code.code,
    description: code.title,
    meta_data: [{ key: LOJAL_META_KEY, value: code.couponId }],
  };
  const productIds = numericIds(code.productIds, 'product');
  const d = code.discount;
  switch (d.kind) {
    case 'fixed':
      coupon.discount_type = 'fixed_cart';
      coupon.amount = minorToDecimal(d.amount, d.currency);
      break;
    case 'percentage':
      if (d.cap !== null && d.cap !== undefined) {
        // Never a broader discount than Lojal's: the code is refused, and the docs say why.
        throw new PlatformError('refused', 'WooCommerce cannot cap a percentage discount');
      }
      coupon.discount_type = 'percent';
      coupon.amount = percentText(d.percent);
      break;
    case 'free_shipping':
      coupon.discount_type = 'fixed_cart';
      coupon.amount = '0';
      coupon.free_shipping = true;
      break;
    case 'free_product':
      coupon.discount_type = 'percent';
      coupon.amount = '100';
      coupon.limit_usage_to_x_items = 1;
      productIds.splice(0, productIds.length, ...numericIds([d.productId], 'product'));
      break;
  }
  if (productIds.length) coupon.product_ids = productIds;
  const excluded = numericIds(code.excludeProductIds, 'product');
  if (excluded.length) coupon.excluded_product_ids = excluded;
  const categories = numericIds(code.categoryIds, 'category');
  if (categories.length) coupon.product_categories = categories;
  const excludedCategories = numericIds(code.excludeCategoryIds, 'category');
  if (excludedCategories.length) coupon.excluded_product_categories = excludedCategories;
  if (code.minBasket !== null)
    coupon.minimum_amount = minorToDecimal(code.minBasket, code.currency);
  if (code.expiresAt !== null) coupon.date_expires_gmt = gmt(code.expiresAt);
  if (code.usageLimit !== null) coupon.usage_limit = code.usageLimit;
  if (code.usageLimitPerCustomer !== null) coupon.usage_limit_per_user = code.usageLimitPerCustomer;
  if (code.customerEmail !== null) coupon.email_restrictions = [code.customerEmail];
  return coupon;
}

/** WooCommerce ids are integers; a Lojal term naming anything else cannot be held there. */
function numericIds(ids: string[], what: string): number[] {
  return ids.map((id) => {
    const n = Number(id);
    if (!/^\d+$/.test(id) || !Number.isSafeInteger(n)) {
      throw new PlatformError('refused', `WooCommerce ${what} ids are numbers, not "${id}"`);
    }
    return n;
  });
}
