/**
 * The files of a whole-shop export (docs/export.md): one per kind, each a SELECT over one table
 * (joined to the customers and orders it names, to write their external ids). Column names
 * follow the import formats (docs/import.md): `customer_id` and `order_id` are the shop's own
 * ids (strings), money is minor units beside a `currency` column, times are ISO 8601 in UTC
 * with milliseconds (`2026-12-07T13:49:49.123Z`), days `YYYY-MM-DD`. CSV columns are snake_case,
 * JSON Lines keys the same names in camelCase; in CSV a list is its items joined by "|" and an
 * object (an address, a discount, order lines) JSON text, in JSON Lines they are JSON.
 */

export type ColumnType = 'text' | 'number' | 'boolean' | 'time' | 'list' | 'json';

export interface ExportColumn {
  name: string;
  /** SQL over the kind's FROM clause. */
  expr: string;
  type: ColumnType;
}

export interface ExportKind {
  /** The file's name without extension. */
  name: string;
  /** FROM … (with joins); `$shop` is replaced by the shop id as a literal. */
  from: string;
  /** Primary key order, so two exports of the same data are the same file. */
  orderBy: string;
  columns: ExportColumn[];
}

const text = (name: string, expr = name): ExportColumn => ({ name, expr, type: 'text' });
const num = (name: string, expr = name): ExportColumn => ({ name, expr, type: 'number' });
const bool = (name: string, expr = name): ExportColumn => ({ name, expr, type: 'boolean' });
const time = (name: string, expr = name): ExportColumn => ({ name, expr, type: 'time' });
const json = (name: string, expr = name): ExportColumn => ({ name, expr, type: 'json' });
const list = (name: string, expr = name): ExportColumn => ({ name, expr, type: 'list' });

/** The shop's own id of the customer a row names (`alias`.customer_id). */
const customerOf = (alias: string, column = 'customer_id') =>
  `(SELECT c.external_id FROM customers c WHERE c.shop_id = ${alias}.shop_id AND c.id = ${alias}.${column})`;
const orderOf = (alias: string, column = 'order_id') =>
  `(SELECT o.external_id FROM orders o WHERE o.shop_id = ${alias}.shop_id AND o.id = ${alias}.${column})`;
const shopCurrency = (alias: string) =>
  `(SELECT s.currency FROM shops s WHERE s.id = ${alias}.shop_id)`;

export const EXPORT_KINDS: readonly ExportKind[] = [
  {
    name: 'customers',
    from: `customers x
      LEFT JOIN point_accounts pa ON pa.shop_id = x.shop_id AND pa.customer_id = x.id
      LEFT JOIN customer_tiers ct ON ct.shop_id = x.shop_id AND ct.customer_id = x.id
      WHERE x.shop_id = $shop`,
    orderBy: 'x.id',
    columns: [
      text('customer_id', 'x.external_id'),
      text('lojal_id', 'x.id'),
      text('email', 'x.email'),
      text('phone', 'x.phone'),
      text('first_name', 'x.first_name'),
      text('last_name', 'x.last_name'),
      text('birthday', 'x.birthday::text'),
      bool('accepts_email_marketing', 'x.accepts_email_marketing'),
      bool('accepts_sms_marketing', 'x.accepts_sms_marketing'),
      list('tags', 'x.tags'),
      num('points', 'coalesce(pa.balance, 0)'),
      num('points_lifetime_earned', 'coalesce(pa.lifetime_earned, 0)'),
      text('tier', 'coalesce(ct.manual_tier_id, ct.tier_id)'),
      text(
        'referral_code',
        '(SELECT r.code FROM referral_codes r WHERE r.shop_id = x.shop_id AND r.customer_id = x.id ORDER BY r.created_at LIMIT 1)',
      ),
      time('redacted_at', 'x.redacted_at'),
      time('created_at', 'x.created_at'),
      time('updated_at', 'x.updated_at'),
    ],
  },
  {
    name: 'orders',
    from: 'orders x WHERE x.shop_id = $shop',
    orderBy: 'x.id',
    columns: [
      text('order_id', 'x.external_id'),
      text('lojal_id', 'x.id'),
      text('customer_id', customerOf('x')),
      text('email', 'x.email'),
      text('currency', 'x.currency'),
      num('total', 'x.total'),
      num('subtotal', 'x.subtotal'),
      num('shipping', 'x.shipping'),
      num('tax', 'x.tax'),
      num('discount', 'x.discount'),
      list('discount_codes', 'x.discount_codes'),
      num('refunded_amount', 'x.refunded_amount'),
      time('placed_at', 'x.placed_at'),
      time('paid_at', 'x.paid_at'),
      time('cancelled_at', 'x.cancelled_at'),
      time('fulfilled_at', 'x.fulfilled_at'),
      json('shipping_address', 'x.shipping_address'),
      json(
        'lines',
        `(SELECT coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object('productId', l.product_id,
            'sku', l.sku, 'title', l.title, 'quantity', l.quantity, 'price', l.unit_price))
            ORDER BY l.position), '[]')
          FROM order_lines l WHERE l.shop_id = x.shop_id AND l.order_id = x.id)`,
      ),
      time('created_at', 'x.created_at'),
    ],
  },
  {
    name: 'order_lines',
    from: `order_lines x JOIN orders o ON o.shop_id = x.shop_id AND o.id = x.order_id
      WHERE x.shop_id = $shop`,
    orderBy: 'x.order_id, x.position',
    columns: [
      text('order_id', 'o.external_id'),
      num('position', 'x.position'),
      text('line_id', 'x.external_id'),
      text('product_id', 'x.product_id'),
      text('variant_id', 'x.variant_id'),
      text('sku', 'x.sku'),
      text('title', 'x.title'),
      list('category_ids', 'x.category_ids'),
      num('quantity', 'x.quantity'),
      num('unit_price', 'x.unit_price'),
      text('currency', 'o.currency'),
    ],
  },
  {
    name: 'refunds',
    from: 'refunds x WHERE x.shop_id = $shop',
    orderBy: 'x.id',
    columns: [
      text('refund_id', 'x.external_id'),
      text('order_id', orderOf('x')),
      num('amount', 'x.amount'),
      text('currency', 'x.currency'),
      text('reason', 'x.reason'),
      time('refunded_at', 'x.refunded_at'),
    ],
  },
  {
    name: 'points_ledger',
    from: 'point_entries x WHERE x.shop_id = $shop',
    orderBy: 'x.id',
    columns: [
      text('entry_id', 'x.id'),
      text('customer_id', customerOf('x')),
      num('points', 'x.points'),
      text('kind', 'x.kind'),
      text('cause', 'x.cause'),
      num('balance_after', 'x.balance_after'),
      text('order_id', orderOf('x')),
      text('rule_code', 'x.rule_code'),
      num('programme_version', 'x.programme_version'),
      text('redemption_id', 'x.redemption_id'),
      text('reverses_entry_id', 'x.reverses_entry_id'),
      text('reason', 'x.reason'),
      text('actor', 'x.actor'),
      time('available_at', 'x.available_at'),
      time('expires_at', 'x.expires_at'),
      time('effective_at', 'x.effective_at'),
      time('recorded_at', 'x.recorded_at'),
    ],
  },
  {
    // The lots still holding points: what a customer can spend, and when each part expires.
    name: 'points_lots',
    from: `point_lots x JOIN point_entries e ON e.shop_id = x.shop_id AND e.id = x.entry_id
      WHERE x.shop_id = $shop AND x.remaining > 0`,
    orderBy: 'x.entry_id',
    columns: [
      text('lot_id', 'x.entry_id'),
      text('customer_id', customerOf('x')),
      num('points', 'x.remaining'),
      num('earned_points', 'x.points'),
      time('earned_at', 'e.effective_at'),
      time('available_at', 'x.available_at'),
      time('expires_at', 'x.expires_at'),
    ],
  },
  {
    name: 'coupons',
    from: 'coupons x WHERE x.shop_id = $shop',
    orderBy: 'x.id',
    columns: [
      text('coupon_id', 'x.id'),
      text('code', 'x.code'),
      text('source', 'x.source'),
      text('customer_id', customerOf('x')),
      text('campaign_id', 'x.campaign_id'),
      text('discount_type', "x.discount->>'kind'"),
      num('amount', "(x.discount->>'amount')::bigint"),
      num('percent', "(x.discount->>'percent')::numeric"),
      json('discount', 'x.discount'),
      num('min_basket', 'x.min_basket'),
      text('currency', shopCurrency('x')),
      time('starts_at', 'x.starts_at'),
      time('expires_at', 'x.expires_at'),
      num('usage_limit', 'x.usage_limit'),
      num('used_count', 'x.used_count'),
      time('created_at', 'x.created_at'),
    ],
  },
  {
    name: 'coupon_uses',
    from: 'coupon_uses x WHERE x.shop_id = $shop',
    orderBy: 'x.coupon_id, x.order_id',
    columns: [
      text('coupon_id', 'x.coupon_id'),
      text('order_id', orderOf('x')),
      text('customer_id', customerOf('x')),
      num('discount_amount', 'x.discount_amount'),
      text('currency', shopCurrency('x')),
      time('used_at', 'x.used_at'),
      time('released_at', 'x.released_at'),
    ],
  },
  {
    name: 'referral_codes',
    from: 'referral_codes x WHERE x.shop_id = $shop',
    orderBy: 'x.customer_id, x.code',
    columns: [
      text('customer_id', customerOf('x')),
      text('code', 'x.code'),
      time('created_at', 'x.created_at'),
    ],
  },
  {
    name: 'referrals',
    from: 'referrals x WHERE x.shop_id = $shop',
    orderBy: 'x.id',
    columns: [
      text('referral_id', 'x.id'),
      text('campaign_id', 'x.campaign_id'),
      text('referrer_customer_id', customerOf('x', 'referrer_customer_id')),
      text('friend_customer_id', customerOf('x', 'friend_customer_id')),
      text('code', 'x.code'),
      text('source', 'x.source'),
      text('status', 'x.status'),
      num('risk_score', 'x.risk_score'),
      text('order_id', orderOf('x')),
      num('order_total', 'x.order_total'),
      time('clicked_at', 'x.clicked_at'),
      time('signed_up_at', 'x.signed_up_at'),
      time('purchased_at', 'x.purchased_at'),
      time('qualified_at', 'x.qualified_at'),
      time('rewarded_at', 'x.rewarded_at'),
      time('rejected_at', 'x.rejected_at'),
      time('created_at', 'x.created_at'),
    ],
  },
  {
    name: 'consents',
    from: 'consents x WHERE x.shop_id = $shop',
    orderBy: 'x.customer_id, x.channel, x.purpose',
    columns: [
      text('customer_id', customerOf('x')),
      text('channel', 'x.channel'),
      text('purpose', 'x.purpose'),
      bool('granted', 'x.granted'),
      time('changed_at', 'x.changed_at'),
      text('event_id', 'x.event_id'),
    ],
  },
  {
    name: 'consent_events',
    from: 'consent_events x WHERE x.shop_id = $shop',
    orderBy: 'x.id',
    columns: [
      text('event_id', 'x.id'),
      text('customer_id', customerOf('x')),
      text('channel', 'x.channel'),
      text('purpose', 'x.purpose'),
      bool('granted', 'x.granted'),
      text('source', 'x.source'),
      text('text_shown', 'x.text_shown'),
      text('page', 'x.page'),
      text('client_address', 'x.client_address'),
      text('user_agent', 'x.user_agent'),
      time('occurred_at', 'x.occurred_at'),
    ],
  },
  {
    name: 'messages',
    from: 'messages x WHERE x.shop_id = $shop',
    orderBy: 'x.id',
    columns: [
      text('message_id', 'x.id'),
      text('customer_id', customerOf('x')),
      text('channel', 'x.channel'),
      text('purpose', 'x.purpose'),
      text('template_key', 'x.template_key'),
      text('locale', 'x.locale'),
      text('flow_id', 'x.flow_id'),
      text('variant', 'x.variant'),
      text('to_address', 'x.to_address'),
      text('status', 'x.status'),
      text('status_reason', 'x.status_reason'),
      text('subject', 'x.subject'),
      time('created_at', 'x.created_at'),
      time('sent_at', 'x.sent_at'),
      time('delivered_at', 'x.delivered_at'),
      time('opened_at', 'x.opened_at'),
      time('clicked_at', 'x.clicked_at'),
      time('converted_at', 'x.converted_at'),
    ],
  },
  {
    name: 'reviews',
    from: 'reviews x WHERE x.shop_id = $shop',
    orderBy: 'x.id',
    columns: [
      text('review_id', 'x.id'),
      text('customer_id', customerOf('x')),
      text('target', 'x.target'),
      text('product_id', 'x.product_id'),
      num('rating', 'x.rating'),
      text('title', 'x.title'),
      text('body', 'x.body'),
      bool('has_photo', 'x.has_photo'),
      text('status', 'x.status'),
      text('reply', 'x.reply'),
      time('created_at', 'x.created_at'),
      time('updated_at', 'x.updated_at'),
    ],
  },
  {
    name: 'survey_answers',
    from: 'survey_answers x WHERE x.shop_id = $shop',
    orderBy: 'x.request_id',
    columns: [
      text('request_id', 'x.request_id'),
      text('customer_id', customerOf('x')),
      text('kind', 'x.kind'),
      num('score', 'x.score'),
      text('comment', 'x.comment'),
      time('first_answered_at', 'x.first_answered_at'),
      time('answered_at', 'x.answered_at'),
    ],
  },
  {
    name: 'tier_programme',
    from: 'tier_programmes x WHERE x.shop_id = $shop',
    orderBy: 'x.shop_id',
    columns: [json('programme', 'x.programme'), time('updated_at', 'x.updated_at')],
  },
  {
    name: 'customer_tiers',
    from: 'customer_tiers x WHERE x.shop_id = $shop',
    orderBy: 'x.customer_id',
    columns: [
      text('customer_id', customerOf('x')),
      text('tier', 'coalesce(x.manual_tier_id, x.tier_id)'),
      time('until', 'x.manual_until'),
      text('earned_tier', 'x.tier_id'),
      text('manual_tier', 'x.manual_tier_id'),
      text('manual_reason', 'x.manual_reason'),
      time('reached_at', 'x.reached_at'),
      time('review_at', 'x.review_at'),
      time('grace_until', 'x.grace_until'),
    ],
  },
  {
    name: 'gift_cards',
    from: `gift_cards x
      LEFT JOIN gift_card_accounts a ON a.shop_id = x.shop_id AND a.gift_card_id = x.id
      WHERE x.shop_id = $shop`,
    orderBy: 'x.id',
    columns: [
      text('gift_card_id', 'x.id'),
      text('code_hint', 'x.code_hint'),
      text('currency', 'x.currency'),
      num('initial_amount', 'x.initial_amount'),
      num('balance', 'coalesce(a.balance, 0)'),
      text('customer_id', customerOf('x')),
      time('expires_at', 'x.expires_at'),
      time('disabled_at', 'x.disabled_at'),
      time('created_at', 'x.created_at'),
    ],
  },
  {
    name: 'stamp_cards',
    from: 'stamp_cards x WHERE x.shop_id = $shop',
    orderBy: 'x.id',
    columns: [
      text('stamp_card_id', 'x.id'),
      text('programme_id', 'x.programme_id'),
      text('customer_id', customerOf('x')),
      num('number', 'x.number'),
      num('stamps', 'x.stamps'),
      num('stamps_required', 'x.stamps_required'),
      time('opened_at', 'x.opened_at'),
      time('last_stamp_at', 'x.last_stamp_at'),
      time('completed_at', 'x.completed_at'),
      text('reward_coupon_id', 'x.reward_coupon_id'),
    ],
  },
];

export type ShopExportFormat = 'jsonl' | 'csv';

const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

function columnSql(column: ExportColumn, format: ShopExportFormat): string {
  switch (column.type) {
    case 'time':
      return `to_char((${column.expr}) AT TIME ZONE 'UTC', ${ISO_UTC})`;
    case 'boolean':
      return format === 'csv' ? `(${column.expr})::text` : column.expr;
    case 'list':
      // CSV: items separated by "|", as docs/import.md reads them.
      return format === 'csv' ? `array_to_string(${column.expr}, '|')` : `to_jsonb(${column.expr})`;
    case 'json':
      // jsonb: a json value keeps its source's whitespace, newlines included, which would
      // split a JSON Lines row.
      return format === 'csv' ? `(to_jsonb(${column.expr}))::text` : `to_jsonb(${column.expr})`;
    default:
      return column.expr;
  }
}

/**
 * The COPY statement that writes one kind of one shop. COPY takes no parameters, so the shop
 * id goes in as a literal (`quote` is the driver's escapeLiteral). JSON Lines come out of COPY's
 * CSV mode with a quote and a delimiter that JSON never holds raw (control characters are
 * escaped in JSON text), so each row is its JSON as it is, one per line.
 */
export function copyStatement(
  kind: ExportKind,
  format: ShopExportFormat,
  shopLiteral: string,
): string {
  const from = kind.from.replaceAll('$shop', shopLiteral);
  if (format === 'csv') {
    const select = kind.columns.map((c) => `${columnSql(c, format)} AS "${c.name}"`).join(', ');
    return `COPY (SELECT ${select} FROM ${from} ORDER BY ${kind.orderBy}) TO STDOUT WITH (FORMAT csv, HEADER true)`;
  }
  const pairs = kind.columns
    .map((c) => `'${camelCase(c.name)}', ${columnSql(c, format)}`)
    .join(', ');
  return (
    `COPY (SELECT json_build_object(${pairs}) FROM ${from} ORDER BY ${kind.orderBy}) ` +
    `TO STDOUT WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')`
  );
}

/** A column's JSON key: its name in camelCase (`customer_id` → `customerId`), as docs/import.md. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
