/**
 * The personal-data register (RODO/GDPR, issue 19): every column of the schema that holds a
 * personal datum, whose it is, how the customer's export shows it and how erasure treats it;
 * and every other text, JSON, binary or array column, listed as not personal. The register test
 * (test/privacy/personal-data-register.test.ts) reads the migrated schema and fails on a column
 * that is in neither list, so a new column cannot slip past export and erasure; docs/privacy.md
 * is its readable form.
 *
 * Every row linked to a customer (by `customer_id`, or through an order, message or review) is
 * personal data in the wide sense and is in the export; the columns below are the ones that
 * identify or describe the person by themselves. After erasure the remaining rows hang off a
 * random key only (the customer row keeps the shop's own id, `external_id`, so that a later
 * delivery for the same person is recognised and stays erased).
 */

/** What a personal column holds. */
export type PersonalKind =
  | 'identity' // names, the shop's own customer id
  | 'contact' // e-mail, phone, push endpoints
  | 'address' // postal addresses
  | 'birthday'
  | 'network' // client (IP) addresses, user agents, pages visited
  | 'free-text' // what the person or staff wrote about them
  | 'code' // codes built from the name (referral codes) and codes the person typed
  | 'message' // messages sent to the person: subjects, texts, variables
  | 'raw' // raw deliveries and saved responses holding any of the above
  | 'photo';

/** Whose datum it is: customer erasure handles the customer's; the rest have their own rules. */
export type DataSubject = 'customer' | 'staff' | 'affiliate' | 'visitor';

/** How `GET /v1/customers/{id}/export` shows the column. */
export type ExportTreatment =
  | 'shown' // as stored
  | 'size' // binary contents, listed by size
  | 'listed' // the rows are listed, the column's bytes are not (encrypted or raw copies)
  | 'none'; // not in the customer export: another person's datum, or a key derived from one shown

/** What erasure (`POST /v1/customers/{id}/erasure`, customers/redact, the portal) does to it. */
export type ErasureTreatment =
  | 'cleared' // set to NULL (or {} / [])
  | 'row-deleted' // the customer's rows are deleted
  | 'hashed' // replaced by an HMAC with the shop's secret salt (suppression lists keep working)
  | 'replaced' // replaced by a new random value (referral codes: the old one stops working)
  | 'scrubbed' // the body is replaced by {"redacted":true} where it names the customer
  | 'kept-pseudonymous' // kept: a key with no meaning outside Lojal (the shop's customer id)
  | 'expires' // kept, encrypted, until its short period ends
  | 'not-customer'; // another person's datum (staff, affiliates): handled with their account

export interface PersonalColumn {
  table: string;
  column: string;
  kind: PersonalKind;
  subject: DataSubject;
  export: ExportTreatment;
  erasure: ErasureTreatment;
  note?: string;
}

const c = (
  table: string,
  columns: string,
  kind: PersonalKind,
  erasure: ErasureTreatment,
  more: Partial<Pick<PersonalColumn, 'subject' | 'export' | 'note'>> = {},
): PersonalColumn[] =>
  columns.split(' ').map((column) => ({
    table,
    column,
    kind,
    subject: more.subject ?? 'customer',
    export: more.export ?? (more.subject && more.subject !== 'customer' ? 'none' : 'shown'),
    erasure,
    ...(more.note && { note: more.note }),
  }));

const staff = { subject: 'staff' as const };

export const PERSONAL_COLUMNS: PersonalColumn[] = [
  ...c('customers', 'external_id', 'identity', 'kept-pseudonymous', {
    note: "the shop's own id for the person; kept so a later delivery for them stays erased",
  }),
  ...c('customers', 'first_name last_name', 'identity', 'cleared'),
  ...c('customers', 'email phone', 'contact', 'cleared'),
  ...c('customers', 'birthday', 'birthday', 'cleared'),
  ...c('customers', 'tags', 'free-text', 'cleared', { note: "the shop's labels for the person" }),
  ...c('orders', 'email', 'contact', 'cleared'),
  ...c('orders', 'shipping_address', 'address', 'cleared'),
  ...c('orders', 'discount_codes', 'code', 'replaced', {
    note: "an erased referrer's old code on friends' orders becomes the new code",
  }),
  ...c('refunds', 'reason', 'free-text', 'cleared'),
  ...c('customer_activities', 'data', 'free-text', 'cleared'),
  ...c('customer_notes', 'body', 'free-text', 'row-deleted'),
  ...c('customer_tasks', 'title', 'free-text', 'row-deleted'),
  ...c('customer_tiers', 'manual_reason', 'free-text', 'cleared'),
  ...c('tier_events', 'note', 'free-text', 'cleared'),
  ...c('point_entries', 'reason', 'free-text', 'cleared', {
    note: 'the words of a manual adjustment; the amounts stay',
  }),
  ...c('gift_card_entries', 'reason', 'free-text', 'cleared', {
    note: 'the words of a manual adjustment; the amounts stay',
  }),
  ...c('referral_codes', 'code', 'code', 'replaced', {
    note: 'built from the first name: a new random code, the old link answers 404',
  }),
  ...c('referral_codes', 'code_key', 'code', 'replaced', {
    export: 'none',
    note: 'the code without dashes, for look-ups: the code itself is shown',
  }),
  ...c('referrals', 'code', 'code', 'replaced'),
  ...c('referrals', 'client_address user_agent', 'network', 'cleared'),
  ...c('referrals', 'review_note thank_you_note', 'free-text', 'cleared'),
  ...c('referral_visits', 'client_address user_agent', 'network', 'cleared'),
  ...c('referral_sightings', 'client_address user_agent', 'network', 'row-deleted'),
  ...c('referral_share_messages', 'text subject', 'free-text', 'row-deleted'),
  ...c('consent_events', 'client_address user_agent page', 'network', 'cleared', {
    note: 'the consent itself (what, when, how, the words shown) stays as proof',
  }),
  ...c('popup_sign_ups', 'email', 'contact', 'cleared'),
  ...c('popup_sign_ups', 'client_address user_agent page visitor_id', 'network', 'cleared'),
  ...c('push_subscriptions', 'endpoint p256dh auth', 'contact', 'row-deleted'),
  ...c('push_subscriptions', 'user_agent', 'network', 'row-deleted'),
  ...c('messages', 'to_address', 'contact', 'cleared'),
  ...c('messages', 'subject body_text variables', 'message', 'cleared'),
  ...c('message_events', 'url client_address', 'network', 'cleared'),
  ...c('mail_outbox', 'to_address subject raw', 'message', 'row-deleted'),
  ...c('flow_runs', 'context', 'message', 'cleared'),
  ...c('flow_run_steps', 'detail', 'message', 'cleared'),
  ...c('automation_triggers', 'data', 'message', 'cleared'),
  ...c('suppressions', 'address', 'contact', 'hashed', {
    note: 'an HMAC-SHA-256 with the shop secret salt: the same address is still suppressed',
  }),
  ...c('survey_answers', 'comment', 'free-text', 'cleared'),
  ...c('reviews', 'title body reply moderation_note', 'free-text', 'cleared', {
    note: 'the rating stays (shop averages unchanged)',
  }),
  ...c('reviews', 'photo_url', 'photo', 'cleared'),
  ...c('review_photos', 'bytes', 'photo', 'row-deleted', { export: 'size' }),
  ...c('customer_data_exports', 'export', 'raw', 'row-deleted', { export: 'listed' }),
  ...c('inbound_events', 'body', 'raw', 'scrubbed', {
    export: 'listed',
    note: "deliveries naming the customer's e-mail, phone or id lose their body",
  }),
  ...c('idempotency_keys', 'response_box', 'raw', 'expires', {
    export: 'none',
    note: 'encrypted saved answers to retried writes, purged after 48 hours',
  }),
  ...c('audit_log', 'before after', 'raw', 'scrubbed', {
    export: 'none',
    note: 'entries about the customer keep who did what and when, not the data',
  }),
  ...c('audit_intents', 'before', 'raw', 'scrubbed', { export: 'none' }),
  // Visitors who are not (yet) customers: kept for the visit-log retention period only.
  ...c('affiliate_visits', 'client_address user_agent', 'network', 'not-customer', {
    subject: 'visitor',
    note: 'removed by the visit-log retention',
  }),
  ...c('popup_impressions', 'visitor_id', 'network', 'not-customer', { subject: 'visitor' }),
  // Other people: the shop's staff and affiliates.
  ...c('affiliates', 'name email', 'identity', 'not-customer', { subject: 'affiliate' }),
  ...c('users', 'email name', 'identity', 'not-customer', staff),
  ...c('invitations', 'email', 'contact', 'not-customer', staff),
  ...c('account_mail', 'to_address subject raw', 'message', 'not-customer', staff),
  ...c('staff_members', 'name', 'identity', 'not-customer', staff),
  ...c('staff_pairings', 'name', 'identity', 'not-customer', {
    ...staff,
    note: 'the name a staff device gets when paired (10 minutes, then the device keeps it)',
  }),
  ...c('order_lines', 'properties', 'free-text', 'cleared', {
    note: "what the buyer typed on the product page: a gift card's recipient name, e-mail and message",
  }),
  ...c('gift_card_sales', 'buyer_email', 'contact', 'cleared'),
  ...c('gift_card_sales', 'recipient_name recipient_email message', 'free-text', 'cleared', {
    note: "a bought gift card's recipient and message (the recipient's own data, kept for the voucher e-mail)",
  }),
  ...c('gift_card_sales', 'sealed_secret', 'code', 'expires', {
    export: 'none',
    note: "a counter sale's code and PIN, encrypted until the voucher e-mail goes, then wiped",
  }),
  ...c('counter_sign_ups', 'consents', 'free-text', 'kept-pseudonymous', {
    export: 'none',
    note: 'the consent texts shown at the counter; recorded on the consent log once the customer exists',
  }),
  ...c('retired_referral_codes', 'key_hash', 'code', 'hashed', {
    export: 'none',
    note: "an erased customer's old referral code as a SHA-256 of its key: keeps the shop-less link from being taken over",
  }),
  ...c('import_rows', 'key data', 'raw', 'cleared', {
    export: 'none',
    note: "an imported file's working copy, row by row: cleared where it names the person",
  }),
  ...c('customer_notes', 'author', 'identity', 'not-customer', staff),
  ...c('customer_tasks', 'created_by closed_by assigned_to', 'identity', 'not-customer', staff),
  ...c('customer_tiers', 'manual_actor', 'identity', 'not-customer', staff),
  ...c('tier_events', 'actor', 'identity', 'not-customer', staff),
  ...c('point_entries', 'actor', 'identity', 'not-customer', staff),
  ...c('gift_card_entries', 'actor', 'identity', 'not-customer', staff),
  ...c('reviews', 'moderated_by replied_by', 'identity', 'not-customer', staff),
  ...c('audit_log', 'actor_name', 'identity', 'not-customer', staff),
  ...c('audit_intents', 'actor_name', 'identity', 'not-customer', staff),
  ...c('programme_versions', 'published_by', 'identity', 'not-customer', staff),
  ...c('tier_programmes', 'updated_by', 'identity', 'not-customer', staff),
];

/**
 * Text, JSON, binary and array columns that hold no personal datum: keys, codes, states,
 * settings, the shop's own words, secrets (hashed or encrypted credentials are not data about
 * a person). `shop_id` is everywhere and left out. Space-separated column names per table.
 */
export const NOT_PERSONAL: Record<string, string> = {
  // The consent proof of a counter sign-up until its customer exists: the shop's own customer id
  // (kept pseudonymous, as on customers), the device and the language shown.
  counter_sign_ups: 'id customer_external_id staff_member_id locale',
  imports:
    'id kind format file_name content_hash status idempotency_key duplicate_of changes runner error actor',
  import_rows: 'import_id error',
  exports: 'id kind format segment_id status requested_by file_name content_type error',
  // Whole-shop exports and audience files: every customer's data, kept 3 days, then deleted.
  export_chunks: 'export_id data',
  gift_card_products: 'product_id amounts variant_amounts',
  gift_card_sales: 'gift_card_id channel order_id line_key staff_id currency locale',
  staff_pairings: 'id role code_hash staff_member_id',
  account_mail: '',
  achievements: 'id name description condition',
  affiliate_orders: 'order_id affiliate_id source visit_id',
  affiliate_payouts: 'affiliate_id period reference',
  affiliate_visits: 'id affiliate_id',
  affiliates: 'id code code_key',
  api_keys: 'id token_hash token_hint label',
  audit_intents: 'actor_type actor_id action target_type target_id',
  audit_log: 'actor_type actor_id action target_type target_id outcome',
  automation_triggers: 'id customer_id type error',
  clv_models: 'bgnbd gamma_gamma',
  connection_errors: 'connection_id id direction kind message',
  connections:
    'id platform settings credentials account_name needs_attention hook_token_hash sync_cursor backfill_cursor',
  consent_events: 'id customer_id channel purpose source text_shown message_id',
  consent_texts: 'channel purpose locale text',
  consents: 'customer_id channel purpose event_id',
  coupon_campaigns:
    'id name discount product_ids category_ids exclude_product_ids exclude_category_ids segment_id min_tier',
  coupon_uses: 'coupon_id order_id customer_id campaign_id',
  coupons: 'id code code_key source customer_id redemption_id discount campaign_id',
  customer_achievements: 'achievement_id customer_id',
  customer_activities: 'id customer_id type external_id',
  customer_data_exports: 'id customer_id source request_ref',
  customer_erasures: 'id customer_id requested_by basis reason event_id',
  customer_notes: 'id customer_id',
  customer_order_days: 'customer_id',
  customer_predictions: 'customer_id',
  customer_rollups: 'customer_id',
  customer_tasks: 'id customer_id status source',
  customer_tiers: 'customer_id tier_id manual_tier_id',
  customers: 'id field_times',
  flow_run_steps: 'run_id step_id kind outcome',
  flow_runs: 'id flow_id customer_id trigger_key status variant last_error end_reason',
  flow_versions: 'flow_id definition',
  flows: 'id name ready_key status definition',
  gift_card_accounts: 'gift_card_id',
  gift_card_allocations: 'entry_id lot_id',
  gift_card_entries:
    'id gift_card_id kind cause idempotency_key order_id rule_id rule_code redemption_id reverses_entry_id refund_id',
  gift_card_lots: 'entry_id gift_card_id',
  gift_cards: 'id currency customer_id code_hash code_hint pin_hash',
  idempotency_keys: 'key method path request_hash',
  inbound_events:
    'id source topic delivery_id idempotency_key request_hash headers status waiting_for reason',
  invitations: 'id role invited_by',
  mail_outbox: 'message_id',
  memberships: 'user_id role',
  message_events: 'message_id kind',
  message_templates: 'template_key channel locale content',
  messages:
    'id send_key customer_id channel purpose template_key locale flow_id run_id step_id variant status status_reason claim_token provider_id converted_order_id',
  messaging_settings:
    'sender_name from_address reply_to postal_address brand sms_sender sms_provider sms_credentials vapid_public_key vapid_private_key',
  order_lines: 'order_id external_id product_id variant_id sku title category_ids',
  orders: 'id external_id customer_id currency customer_locale',
  password_resets: 'id user_id',
  periodic_task_days: 'task',
  platform_codes: 'connection_id coupon_id state ref last_error',
  point_accounts: 'customer_id',
  point_allocations: 'entry_id lot_id',
  point_entries:
    'id customer_id kind cause idempotency_key order_id rule_id rule_code redemption_id reverses_entry_id refund_id',
  point_lots: 'entry_id customer_id',
  popup_impressions: 'popup_id variant',
  popup_sign_ups: 'id popup_id variant locale text_shown customer_id consent_event_id coupon_id',
  popups: 'id name kind status definition coupon_campaign_id',
  portal_sign_in_links: 'id customer_id token_hash locale',
  privacy_settings: 'suppression_salt',
  products: 'external_id name url image_url currency category_ids',
  programme_versions: 'programme',
  push_subscriptions: 'id customer_id',
  redemptions: 'id customer_id reward_id entry_id coupon_id status',
  referral_campaigns: 'id name settings landing',
  referral_codes: 'customer_id',
  referral_purchases: 'referral_id order_id status reason',
  referral_rewards: 'referral_id stage party customer_id kind entry_id coupon_id',
  referral_share_messages: 'customer_id channel locale',
  referral_sightings: 'customer_id',
  referral_visits: 'id campaign_id referrer_customer_id',
  referrals:
    'id campaign_id referrer_customer_id friend_customer_id source visit_id status held_status reasons order_id terms',
  refunds: 'id order_id external_id currency',
  review_photos: 'review_id content_type',
  review_requests: 'id customer_id order_id product_ids locale',
  reviews: 'id customer_id request_id target product_id status',
  rewards: 'id name description kind config min_tier',
  schema_migrations: 'name',
  segments: 'id name description rules',
  shops:
    'id name currency timezone locale storefront_url slug brand_logo_url brand_primary_color brand_accent_color storefront_origins storefront_join_url',
  social_proof_settings: 'messages',
  staff_members: 'id role token_hash token_hint',
  stamp_cards: 'id programme_id customer_id reward_coupon_id',
  stamp_order_awards: 'programme_id order_id customer_id',
  stamp_programmes: 'id name earn_by product_ids category_ids reward',
  stamp_qr_keys: 'key_box',
  stamps: 'id card_id programme_id customer_id source staff_member_id scan_nonce order_id',
  storefront_secrets: 'id secret_box',
  suppressions: 'channel reason message_id',
  survey_answers: 'request_id customer_id kind task_id',
  survey_requests: 'id customer_id kind locale message_id run_id',
  tier_events: 'id customer_id type from_tier to_tier reason dedupe_key',
  tier_perk_grants: 'customer_id perk period tier_id coupon_id',
  tier_programmes: 'programme',
  user_sessions: 'id user_id token_hash',
  users: 'id password_hash totp_secret',
  webhook_endpoints: 'id url secret status',
  webhook_secrets: 'id secret_box',
};

/** Whether table.column is listed as not personal. */
export function isListedNotPersonal(table: string, column: string): boolean {
  return (NOT_PERSONAL[table] ?? '').split(' ').includes(column);
}

/** The customer's personal columns (what export must show and erasure must reach). */
export const CUSTOMER_COLUMNS = PERSONAL_COLUMNS.filter((p) => p.subject === 'customer');
