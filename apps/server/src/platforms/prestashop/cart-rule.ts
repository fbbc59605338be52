import { PlatformError, type CodeToPush } from '../../connections/connector.ts';
import { minorToDecimal, percentText } from '../decimal-amount.ts';
import { localWall, xmlText } from './webservice.ts';

/** Lojal's mark in a cart rule's description: `lojal:<coupon id> <title>`. */
export function lojalMark(couponId: string): string {
  return `lojal:${couponId}`;
}

const TEN_YEARS_MS = 10 * 365 * 86_400_000;
/** PrestaShop counts a cart rule's uses down from `quantity`: "no limit" is a large number. */
const UNLIMITED = 1_000_000;

/**
 * Lojal's terms as a PrestaShop cart rule (POST /api/cart_rules, XML). PrestaShop holds the
 * value (reduction_amount / reduction_percent / free_shipping / gift_product), the minimum
 * basket, the dates, the uses in all and per customer, and a restriction to one customer by its
 * PrestaShop id. It cannot take product or category restrictions through the Webservice (its
 * product rule groups are not a resource), nor a cap on a percentage: such a code is refused,
 * never created with broader terms. A percentage on exactly one product uses reduction_product.
 */
export function cartRuleXml(
  code: CodeToPush,
  input: { now: Date; timeZone: string; languageIds: string[]; currencyId: string },
): string {
  const fields: Array<[string, string]> = [];
  const d = code.discount;
  let reductionProduct = '0';
  const restricted =
    code.categoryIds.length + code.excludeProductIds.length + code.excludeCategoryIds.length > 0;
  if (restricted || code.productIds.length > 1) {
    throw new PlatformError(
      'refused',
      'PrestaShop cart rules cannot be restricted to products or categories through the Webservice',
    );
  }
  if (code.productIds.length === 1) {
    if (d.kind !== 'percentage') {
      throw new PlatformError(
        'refused',
        'PrestaShop restricts only a percentage discount to one product (reduction_product)',
      );
    }
    reductionProduct = numericId(code.productIds[0]!, 'product');
  }
  let reductionPercent = '0';
  let reductionAmount = '0';
  let freeShipping = '0';
  let giftProduct = '0';
  switch (d.kind) {
    case 'fixed':
      reductionAmount = minorToDecimal(d.amount, d.currency);
      break;
    case 'percentage':
      if (d.cap !== null && d.cap !== undefined) {
        throw new PlatformError('refused', 'PrestaShop cannot cap a percentage discount');
      }
      reductionPercent = percentText(d.percent);
      break;
    case 'free_shipping':
      freeShipping = '1';
      break;
    case 'free_product':
      giftProduct = numericId(d.productId, 'product');
      break;
  }
  const customerId =
    code.customerExternalId && /^\d+$/.test(code.customerExternalId)
      ? code.customerExternalId
      : '0';
  const from = code.startsAt ?? new Date(input.now.getTime() - 60_000);
  const to = code.expiresAt ?? new Date(input.now.getTime() + TEN_YEARS_MS);
  const uses = code.usageLimit ?? UNLIMITED;
  fields.push(
    ['id_customer', customerId],
    ['date_from', localWall(from, input.timeZone)],
    ['date_to', localWall(to, input.timeZone)],
    ['description', `${lojalMark(code.couponId)} ${code.title}`],
    ['quantity', String(uses)],
    ['quantity_per_user', String(code.usageLimitPerCustomer ?? uses)],
    ['priority', '1'],
    ['partial_use', '0'],
    ['code', code.code],
    [
      'minimum_amount',
      code.minBasket === null ? '0' : minorToDecimal(code.minBasket, code.currency),
    ],
    ['minimum_amount_tax', '1'],
    ['minimum_amount_currency', input.currencyId],
    ['minimum_amount_shipping', '0'],
    ['free_shipping', freeShipping],
    ['reduction_percent', reductionPercent],
    ['reduction_amount', reductionAmount],
    ['reduction_tax', '1'],
    ['reduction_currency', input.currencyId],
    ['reduction_product', reductionProduct],
    ['gift_product', giftProduct],
    ['highlight', '0'],
    ['active', '1'],
  );
  const name = input.languageIds
    .map((id) => `<language id="${xmlText(id)}">${xmlText(code.title.slice(0, 254))}</language>`)
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?><prestashop><cart_rule>' +
    fields.map(([k, v]) => `<${k}>${xmlText(v)}</${k}>`).join('') +
    `<name>${name}</name></cart_rule></prestashop>`
  );
}

/**
 * The cart rule as the Webservice returned it (JSON), as XML for a PUT with `active` changed:
 * PrestaShop 1.7 updates only with the whole object.
 */
export function cartRuleUpdateXml(rule: Record<string, unknown>, active: boolean): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(rule)) {
    if (key === 'associations' || !/^[a-z_]+$/.test(key)) continue;
    if (key === 'name' && Array.isArray(value)) {
      const languages = value
        .map(
          (l: { id?: unknown; value?: unknown }) =>
            `<language id="${xmlText(String(l.id))}">${xmlText(String(l.value ?? ''))}</language>`,
        )
        .join('');
      parts.push(`<name>${languages}</name>`);
      continue;
    }
    const text = key === 'active' ? (active ? '1' : '0') : value === null ? '' : String(value);
    parts.push(`<${key}>${xmlText(text)}</${key}>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?><prestashop><cart_rule>${parts.join('')}</cart_rule></prestashop>`;
}

function numericId(id: string, what: string): string {
  if (!/^\d+$/.test(id)) {
    throw new PlatformError('refused', `PrestaShop ${what} ids are numbers, not "${id}"`);
  }
  return id;
}
