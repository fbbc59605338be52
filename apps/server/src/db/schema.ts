import type { ColumnType, Generated, GeneratedAlways } from 'kysely';

/** Kysely's view of the database; mirrors migrations/*.sql. */
export interface Database {
  shops: ShopsTable;
  periodic_task_days: PeriodicTaskDaysTable;
  api_keys: ApiKeysTable;
  webhook_secrets: WebhookSecretsTable;
  idempotency_keys: IdempotencyKeysTable;
  inbound_events: InboundEventsTable;
  customers: CustomersTable;
  orders: OrdersTable;
  products: ProductsTable;
  connections: ConnectionsTable;
  connection_errors: ConnectionErrorsTable;
  platform_codes: PlatformCodesTable;
  order_lines: OrderLinesTable;
  refunds: RefundsTable;
  segments: SegmentsTable;
  clv_models: ClvModelsTable;
  programme_versions: ProgrammeVersionsTable;
  customer_activities: CustomerActivitiesTable;
  point_accounts: PointAccountsTable;
  point_entries: PointEntriesTable;
  point_lots: PointLotsTable;
  point_allocations: PointAllocationsTable;
  rewards: RewardsTable;
  redemptions: RedemptionsTable;
  coupons: CouponsTable;
  coupon_uses: CouponUsesTable;
  coupon_campaigns: CouponCampaignsTable;
  achievements: AchievementsTable;
  tier_perk_grants: TierPerkGrantsTable;
  customer_notes: CustomerNotesTable;
  customer_predictions: CustomerPredictionsTable;
  customer_order_days: CustomerOrderDaysTable;
  customer_rollups: CustomerRollupsTable;
  cohort_activity: CohortActivityTable;
  shop_order_days: ShopOrderDaysTable;
  customer_day_pairs: CustomerDayPairsTable;
  customer_lift_pairs: CustomerLiftPairsTable;
  analytics_lift_holdout: AnalyticsLiftHoldoutTable;
  customer_rfm_values: CustomerRfmValuesTable;
  customer_tasks: CustomerTasksTable;
  gift_cards: GiftCardsTable;
  gift_card_accounts: Omit<PointAccountsTable, 'customer_id'> & { gift_card_id: string };
  gift_card_entries: Omit<PointEntriesTable, 'customer_id'> & { gift_card_id: string };
  gift_card_lots: Omit<PointLotsTable, 'customer_id'> & { gift_card_id: string };
  gift_card_allocations: PointAllocationsTable;
  gift_card_products: GiftCardProductsTable;
  gift_card_sales: GiftCardSalesTable;
  customer_achievements: CustomerAchievementsTable;
  tier_programmes: TierProgrammesTable;
  customer_tiers: CustomerTiersTable;
  tier_events: TierEventsTable;
  staff_members: StaffMembersTable;
  staff_pairings: StaffPairingsTable;
  counter_sign_ups: CounterSignUpsTable;
  stamp_qr_keys: StampQrKeysTable;
  stamp_programmes: StampProgrammesTable;
  stamp_cards: StampCardsTable;
  stamps: StampsTable;
  stamp_order_awards: StampOrderAwardsTable;
  referral_campaigns: ReferralCampaignsTable;
  referral_codes: ReferralCodesTable;
  retired_referral_codes: RetiredReferralCodesTable;
  referral_visits: ReferralVisitsTable;
  referral_sightings: ReferralSightingsTable;
  referrals: ReferralsTable;
  referral_rewards: ReferralRewardsTable;
  referral_purchases: ReferralPurchasesTable;
  referral_share_messages: ReferralShareMessagesTable;
  affiliates: AffiliatesTable;
  affiliate_visits: AffiliateVisitsTable;
  affiliate_orders: AffiliateOrdersTable;
  affiliate_payouts: AffiliatePayoutsTable;
  messaging_settings: MessagingSettingsTable;
  consents: ConsentsTable;
  storefront_secrets: StorefrontSecretsTable;
  consent_events: ConsentEventsTable;
  suppressions: SuppressionsTable;
  flows: FlowsTable;
  flow_versions: FlowVersionsTable;
  automation_triggers: AutomationTriggersTable;
  flow_runs: FlowRunsTable;
  flow_run_steps: FlowRunStepsTable;
  messages: MessagesTable;
  message_events: MessageEventsTable;
  mail_outbox: MailOutboxTable;
  push_subscriptions: PushSubscriptionsTable;
  webhook_endpoints: WebhookEndpointsTable;
  message_templates: MessageTemplatesTable;
  consent_texts: ConsentTextsTable;
  imports: ImportsTable;
  import_rows: ImportRowsTable;
  survey_settings: SurveySettingsTable;
  social_proof_settings: SocialProofSettingsTable;
  survey_requests: SurveyRequestsTable;
  survey_answers: SurveyAnswersTable;
  review_requests: ReviewRequestsTable;
  reviews: ReviewsTable;
  review_photos: ReviewPhotosTable;
  users: UsersTable;
  memberships: MembershipsTable;
  user_sessions: UserSessionsTable;
  invitations: InvitationsTable;
  password_resets: PasswordResetsTable;
  account_mail: AccountMailTable;
  audit_log: AuditLogTable;
  popups: PopupsTable;
  popup_impressions: PopupImpressionsTable;
  popup_sign_ups: PopupSignUpsTable;
  audit_intents: AuditIntentTable;
  portal_sign_in_links: PortalSignInLinksTable;
  exports: ExportsTable;
  export_chunks: ExportChunksTable;
  privacy_settings: PrivacySettingsTable;
  customer_erasures: CustomerErasuresTable;
  customer_data_exports: CustomerDataExportsTable;
}

/** NOT NULL without a default: every insert names it. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** NOT NULL DEFAULT now(): an insert may leave it out. */
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;
/** pg returns bigint as string; we parse it to number (amounts stay far below 2^53). */
type Int8 = ColumnType<number, number | bigint, number | bigint>;

export interface ShopsTable {
  id: string;
  name: string;
  /** The shop in its referral links, /r/{slug}/{code}; never changes (links are printed). */
  slug: string;
  currency: string;
  timezone: string;
  locale: string;
  return_window_days: Generated<number>;
  is_demo: Generated<boolean>;
  storefront_url: ColumnType<string | null, string | null | undefined, string | null>;
  /** Brand kit (0029): an https logo and two colours `#rrggbb`, lower case; null = not set. */
  brand_logo_url: ColumnType<string | null, string | null | undefined, string | null>;
  brand_primary_color: ColumnType<string | null, string | null | undefined, string | null>;
  brand_accent_color: ColumnType<string | null, string | null | undefined, string | null>;
  /** Origins whose pages may call the storefront API (0036), besides storefront_url's own. */
  storefront_origins: Generated<string[]>;
  /** Where a guest joins the programme (the shop's sign-up page); null = not set. */
  storefront_join_url: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ApiKeysTable {
  shop_id: string;
  id: string;
  token_hash: Buffer;
  token_hint: string;
  label: string | null;
  created_at: Generated<Date>;
  revoked_at: NullableTimestamp;
}

export interface WebhookSecretsTable {
  shop_id: string;
  id: string;
  secret_box: Buffer;
  created_at: Generated<Date>;
  retires_at: NullableTimestamp;
}

export interface StorefrontSecretsTable {
  shop_id: string;
  id: string;
  secret_box: Buffer;
  created_at: Generated<Date>;
  retires_at: NullableTimestamp;
}

export interface IdempotencyKeysTable {
  shop_id: string;
  key: string;
  method: string;
  path: string;
  request_hash: Buffer;
  status_code: number | null;
  response_box: Buffer | null;
  created_at: Generated<Date>;
}

export type InboundSource =
  | 'api'
  | 'shopify'
  | 'woocommerce'
  | 'shoper'
  | 'idosell'
  | 'prestashop'
  | 'baselinker'
  | 'dotykacka';
export type InboundStatus = 'pending' | 'processed' | 'ignored' | 'waiting' | 'failed';

export interface InboundEventsTable {
  shop_id: string;
  id: string;
  source: InboundSource;
  topic: string;
  delivery_id: string | null;
  idempotency_key: string | null;
  request_hash: Buffer | null;
  verified: boolean;
  headers: ColumnType<Record<string, string>, string, string>;
  body: Buffer;
  received_at: Generated<Date>;
  occurred_at: NullableTimestamp;
  status: Generated<InboundStatus>;
  waiting_for: string | null;
  attempts: Generated<number>;
  reason: string | null;
  processed_at: NullableTimestamp;
}

export interface CustomersTable {
  shop_id: string;
  id: string;
  external_id: string;
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  birthday: ColumnType<string | null, string | null | undefined, string | null>;
  accepts_email_marketing: boolean | null;
  accepts_sms_marketing: boolean | null;
  tags: Generated<string[]>;
  field_times: ColumnType<Record<string, string>, string | undefined, string>;
  source_updated_at: NullableTimestamp;
  redacted_at: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface OrdersTable {
  shop_id: string;
  id: string;
  external_id: string;
  customer_id: string | null;
  email: string | null;
  currency: string;
  total: Int8;
  subtotal: ColumnType<number | null, number | null | undefined, number | null>;
  shipping: ColumnType<number | null, number | null | undefined, number | null>;
  tax: ColumnType<number | null, number | null | undefined, number | null>;
  discount: ColumnType<number | null, number | null | undefined, number | null>;
  discount_codes: Generated<string[]>;
  refunded_amount: ColumnType<number, number | undefined, number>;
  placed_at: Timestamp;
  paid_at: NullableTimestamp;
  cancelled_at: NullableTimestamp;
  fulfilled_at: NullableTimestamp;
  source_updated_at: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** jsonb; pg writes the object as JSON. */
  shipping_address: ColumnType<
    ShippingAddress | null,
    ShippingAddress | null | undefined,
    ShippingAddress | null
  >; /** The language the buyer shopped in, when the platform says. */
  customer_locale: ColumnType<
    'pl' | 'en' | null,
    'pl' | 'en' | null | undefined,
    'pl' | 'en' | null
  >;
}

/** A delivery address as order.paid carries it. */
export interface ShippingAddress {
  line1: string;
  line2?: string | null;
  city: string;
  postalCode: string;
  country: string;
}

export interface OrderLinesTable {
  shop_id: string;
  order_id: string;
  position: number;
  external_id: string | null;
  product_id: string | null;
  variant_id: string | null;
  sku: string | null;
  title: string | null;
  category_ids: string[];
  quantity: number;
  unit_price: Int8;
  /** jsonb: the line item's properties (key → text), e.g. a gift card's recipient. */
  properties: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
}

export interface RefundsTable {
  shop_id: string;
  id: string;
  order_id: string;
  external_id: string;
  amount: Int8;
  currency: string;
  reason: string | null;
  refunded_at: Timestamp;
  created_at: Generated<Date>;
}

export interface SegmentsTable {
  shop_id: string;
  id: string;
  name: string;
  description: string | null;
  rules: ColumnType<unknown, string, string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ClvModelsTable {
  shop_id: string;
  fitted_at: Date;
  calibration_end: ColumnType<string, string, string>;
  customers: number;
  bgnbd: ColumnType<unknown, string, string>;
  gamma_gamma: ColumnType<unknown, string | null, string | null>;
  // 0054: when the customers were last scored under it
  scored_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface ProgrammeVersionsTable {
  shop_id: string;
  version: number;
  programme: ColumnType<unknown, string, string>;
  created_at: Generated<Date>;
  published_at: NullableTimestamp;
  published_by: string | null;
}

export interface CustomerActivitiesTable {
  shop_id: string;
  id: string;
  customer_id: string;
  type: string;
  external_id: string | null;
  data: ColumnType<Record<string, unknown>, string, string>;
  occurred_at: Timestamp;
  created_at: Generated<Date>;
}

export interface PointAccountsTable {
  shop_id: string;
  customer_id: string;
  balance: Int8;
  debt: Int8;
  lifetime_earned: Int8;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type EntryKind = 'earn' | 'redeem' | 'expire' | 'reverse' | 'adjust';
export type EntryCause = 'order' | 'rule' | 'redemption' | 'adjustment' | 'expiry' | 'reversal';

export interface PointEntriesTable {
  shop_id: string;
  id: string;
  customer_id: string;
  points: Int8;
  kind: EntryKind;
  cause: EntryCause;
  idempotency_key: string;
  balance_after: Int8;
  order_id: string | null;
  rule_id: string | null;
  rule_code: string | null;
  programme_version: number | null;
  redemption_id: string | null;
  reverses_entry_id: string | null;
  refund_id: string | null;
  absorbed: Int8;
  already_expired: Int8;
  reason: string | null;
  actor: string | null;
  available_at: NullableTimestamp;
  expires_at: NullableTimestamp;
  effective_at: Timestamp;
  recorded_at: Generated<Date>;
}

export interface PointLotsTable {
  shop_id: string;
  entry_id: string;
  customer_id: string;
  points: Int8;
  remaining: Int8;
  available_at: Timestamp;
  expires_at: NullableTimestamp;
  owed: Int8;
  expired: Int8;
}

export interface PointAllocationsTable {
  shop_id: string;
  entry_id: string;
  lot_id: string;
  points: Int8;
}

export interface RewardsTable {
  shop_id: string;
  id: string;
  name: ColumnType<LocalizedText, string, string>;
  description: ColumnType<LocalizedText | null, string | null, string | null>;
  kind: string;
  points_cost: Int8;
  config: ColumnType<Record<string, unknown>, string, string>;
  starts_at: NullableTimestamp;
  ends_at: NullableTimestamp;
  stock: number | null;
  per_customer_limit: number | null;
  min_tier: string | null;
  coupon_valid_days: Generated<number>;
  archived_at: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface LocalizedText {
  pl: string;
  en: string;
}

export interface RedemptionsTable {
  shop_id: string;
  id: string;
  customer_id: string;
  reward_id: string;
  points_spent: Int8;
  entry_id: string;
  coupon_id: string | null;
  status: Generated<'issued' | 'used' | 'returned' | 'fulfilled'>;
  created_at: Generated<Date>;
}

export interface CouponsTable {
  shop_id: string;
  id: string;
  code: string;
  // Generated from code; PostgreSQL reports a generated column as nullable.
  code_key: GeneratedAlways<string | null>;
  source: 'reward' | 'campaign' | 'referral' | 'flow' | 'import';
  customer_id: string | null;
  redemption_id: string | null;
  discount: ColumnType<Record<string, unknown>, string, string>;
  min_basket: ColumnType<number | null, number | null | undefined, number | null>;
  starts_at: NullableTimestamp;
  expires_at: NullableTimestamp;
  usage_limit: number | null;
  used_count: Generated<number>;
  points_returned_at: NullableTimestamp;
  campaign_id: string | null;
  created_at: Generated<Date>;
}

export interface CouponUsesTable {
  shop_id: string;
  coupon_id: string;
  order_id: string;
  used_at: Timestamp;
  customer_id: string | null;
  campaign_id: string | null;
  discount_amount: ColumnType<number, number | undefined, number>;
  released_at: NullableTimestamp;
}

type NullableInt8 = ColumnType<number | null, number | null | undefined, number | null>;

export interface CouponCampaignsTable {
  shop_id: string;
  id: string;
  name: string;
  discount: ColumnType<Record<string, unknown>, string, string>;
  min_basket: NullableInt8;
  starts_at: NullableTimestamp;
  ends_at: NullableTimestamp;
  uses_per_code: number | null;
  uses_per_customer: number | null;
  budget: NullableInt8;
  budget_used: Generated<number>;
  uses: Generated<number>;
  product_ids: Generated<string[]>;
  category_ids: Generated<string[]>;
  exclude_product_ids: Generated<string[]>;
  exclude_category_ids: Generated<string[]>;
  first_order_only: Generated<boolean>;
  segment_id: string | null;
  min_tier: string | null;
  stackable: Generated<boolean>;
  return_use_on_cancel: Generated<boolean>;
  archived_at: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface TierProgrammesTable {
  shop_id: string;
  programme: ColumnType<unknown, string, string>;
  updated_at: DefaultTimestamp;
  updated_by: string | null;
}

export interface CustomerTiersTable {
  shop_id: string;
  customer_id: string;
  tier_id: string | null;
  reached_at: NullableTimestamp;
  review_at: NullableTimestamp;
  grace_until: NullableTimestamp;
  at_risk_notified_at: NullableTimestamp;
  risk_checked_at: NullableTimestamp;
  manual_tier_id: string | null;
  manual_until: NullableTimestamp;
  manual_reason: string | null;
  manual_actor: string | null;
  manual_at: NullableTimestamp;
  updated_at: DefaultTimestamp;
}

export type TierEventType = 'tier.upgraded' | 'tier.downgraded' | 'tier.at_risk';

export interface TierEventsTable {
  shop_id: string;
  id: string;
  customer_id: string;
  type: TierEventType;
  from_tier: string | null;
  to_tier: string | null;
  reason: string;
  note: string | null;
  metric_value: NullableInt8;
  actor: string | null;
  dedupe_key: string | null;
  occurred_at: Timestamp;
}

export interface AchievementsTable {
  shop_id: string;
  id: string;
  name: ColumnType<LocalizedText, string, string>;
  description: ColumnType<LocalizedText | null, string | null, string | null>;
  condition: ColumnType<unknown, string, string>;
  points: ColumnType<number, number | undefined, number>;
  active: Generated<boolean>;
  created_at: DefaultTimestamp;
}

export interface CustomerAchievementsTable {
  shop_id: string;
  achievement_id: string;
  customer_id: string;
  awarded_at: Timestamp;
}

export interface StaffMembersTable {
  shop_id: string;
  id: string;
  name: string;
  role: 'staff' | 'manager';
  token_hash: Buffer;
  token_hint: string;
  created_at: Generated<Date>;
  revoked_at: NullableTimestamp;
}

export interface StaffPairingsTable {
  shop_id: string;
  id: string;
  name: string;
  role: 'staff' | 'manager';
  code_hash: Buffer;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
  staff_member_id: string | null;
}

export interface CounterSignUpConsent {
  channel: ConsentChannel;
  purpose: ConsentPurpose;
  granted: boolean;
  text: string;
}

export interface CounterSignUpsTable {
  shop_id: string;
  id: string;
  customer_external_id: string;
  staff_member_id: string;
  locale: 'pl' | 'en';
  consents: ColumnType<CounterSignUpConsent[], string, string>;
  created_at: Date;
  consents_recorded_at: Date | null;
}

export interface StampQrKeysTable {
  shop_id: string;
  key_box: Buffer;
  created_at: Generated<Date>;
}

export interface StampProgrammesTable {
  shop_id: string;
  id: string;
  name: ColumnType<LocalizedText, string, string>;
  stamps_required: number;
  earn_by: 'visit' | 'order' | 'product';
  product_ids: Generated<string[]>;
  category_ids: Generated<string[]>;
  min_order: ColumnType<number | null, number | null | undefined, number | null>;
  daily_limit: number | null;
  reward: ColumnType<Record<string, unknown>, string, string>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface StampCardsTable {
  shop_id: string;
  id: string;
  programme_id: string;
  customer_id: string;
  number: number;
  stamps: Generated<number>;
  stamps_required: number;
  opened_at: Timestamp;
  last_stamp_at: NullableTimestamp;
  completed_at: NullableTimestamp;
  reward_coupon_id: string | null;
}

export interface StampsTable {
  shop_id: string;
  id: string;
  card_id: string;
  programme_id: string;
  customer_id: string;
  source: 'scan' | 'order';
  staff_member_id: string | null;
  scan_nonce: string | null;
  order_id: string | null;
  local_day: ColumnType<string, string, string>;
  created_at: Timestamp;
}

export interface StampOrderAwardsTable {
  shop_id: string;
  programme_id: string;
  order_id: string;
  customer_id: string;
  earned: number;
  given: number;
  created_at: Timestamp;
}

export interface GiftCardsTable {
  shop_id: string;
  id: string;
  /** SHA-256 of `${shop_id}:${the normalised code}`; the code itself is never stored. */
  code_hash: Buffer;
  /** "…" and the normalised code's last four characters, to show. */
  code_hint: string;
  currency: string;
  initial_amount: Int8;
  expires_at: NullableTimestamp;
  customer_id: string | null;
  disabled_at: NullableTimestamp;
  created_at: Generated<Date>;
  /** SHA-256 of `${shop_id}:${id}:${pin}`; null for cards issued before PINs. */
  pin_hash: Buffer | null;
}

export interface GiftCardProductsTable {
  shop_id: string;
  product_id: string;
  amounts: 'any' | 'fixed';
  /** variant id → minor units, for `fixed`. */
  variant_amounts: DefaultJson<Record<string, number>>;
  valid_months: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface GiftCardSalesTable {
  shop_id: string;
  gift_card_id: string;
  channel: 'online' | 'counter';
  order_id: string | null;
  line_key: string | null;
  staff_id: string | null;
  amount: Int8;
  currency: string;
  buyer_email: string | null;
  recipient_name: string | null;
  recipient_email: string | null;
  message: string | null;
  locale: 'pl' | 'en';
  send_at: NullableTimestamp;
  sealed_secret: Buffer | null;
  sent_at: NullableTimestamp;
  voided_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface TierPerkGrantsTable {
  shop_id: string;
  customer_id: string;
  perk: string;
  period: string;
  tier_id: string;
  coupon_id: string;
  granted_at: Timestamp;
}

export interface CustomerNotesTable {
  shop_id: string;
  id: string;
  customer_id: string;
  body: string;
  author: string;
  created_at: DefaultTimestamp;
}

export interface CustomerTasksTable {
  shop_id: string;
  id: string;
  customer_id: string;
  title: string;
  due_at: NullableTimestamp;
  status: Generated<'open' | 'done' | 'cancelled'>;
  source: Generated<string>;
  created_by: string;
  created_at: DefaultTimestamp;
  closed_at: NullableTimestamp;
  closed_by: string | null;
  /** The team member (users.id) the task is given to. */
  assigned_to: Nullable<string>;
}

export interface ReferralCampaignsTable {
  shop_id: string;
  id: string;
  name: string;
  settings: ColumnType<Record<string, unknown>, string, string>;
  starts_at: NullableTimestamp;
  ends_at: NullableTimestamp;
  archived_at: NullableTimestamp;
  created_at: DefaultTimestamp;
  /** What the campaign's links show (0037): the landing page or a plain redirect. */
  landing: ColumnType<'page' | 'redirect', 'page' | 'redirect' | undefined, 'page' | 'redirect'>;
}

export interface ReferralCodesTable {
  shop_id: string;
  customer_id: string;
  code: string;
  code_key: string;
  created_at: DefaultTimestamp;
}

/** An erased customer's old referral code: its claim on the shop-less link, as a hash (0051). */
export interface RetiredReferralCodesTable {
  shop_id: string;
  key_hash: Buffer;
  created_at: Timestamp;
}

export interface ReferralVisitsTable {
  shop_id: string;
  id: string;
  campaign_id: string | null;
  referrer_customer_id: string;
  client_address: string | null;
  user_agent: string | null;
  visited_at: Timestamp;
}

export interface ReferralSightingsTable {
  shop_id: string;
  customer_id: string;
  client_address: string;
  user_agent: string;
  seen_at: Timestamp;
}

export type ReferralStatus =
  'clicked' | 'signed_up' | 'purchased' | 'qualified' | 'rewarded' | 'rejected' | 'flagged';

export interface ReferralsTable {
  shop_id: string;
  id: string;
  campaign_id: string;
  referrer_customer_id: string;
  friend_customer_id: string;
  code: string;
  source: 'code' | 'link' | 'signup';
  visit_id: string | null;
  client_address: string | null;
  user_agent: string | null;
  status: ReferralStatus;
  held_status: ReferralStatus | null;
  reasons: ColumnType<Array<{ reason: string; weight: number }>, string | undefined, string>;
  risk_score: Generated<number>;
  review_note: string | null;
  order_id: string | null;
  order_total: NullableInt8;
  due_at: NullableTimestamp;
  clicked_at: NullableTimestamp;
  signed_up_at: NullableTimestamp;
  purchased_at: NullableTimestamp;
  qualified_at: NullableTimestamp;
  rewarded_at: NullableTimestamp;
  rejected_at: NullableTimestamp;
  flagged_at: NullableTimestamp;
  approved_at: NullableTimestamp;
  clawed_back_at: NullableTimestamp;
  created_at: Timestamp;
  /** The campaign's settings when the referral was made: the terms it keeps. */
  terms: ColumnType<Record<string, unknown>, string, string>;
  thank_you_note: ColumnType<string | null, string | null | undefined, string | null>;
  thank_you_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface ReferralRewardsTable {
  shop_id: string;
  referral_id: string;
  stage: 'lead' | 'main';
  party: 'referrer' | 'friend';
  customer_id: string;
  kind: 'points' | 'coupon' | 'reward';
  points: NullableInt8;
  entry_id: string | null;
  coupon_id: string | null;
  cost: ColumnType<number, number | undefined, number>;
  given_at: Timestamp;
  revoked_at: NullableTimestamp;
  /** 1 for the first purchase (and the lead stage), 2… for purchases under everyPurchaseUpTo. */
  purchase: ColumnType<number, number | undefined, number>;
}

export interface ReferralPurchasesTable {
  shop_id: string;
  referral_id: string;
  purchase: number;
  order_id: string;
  order_total: Int8;
  paid_at: Timestamp;
  due_at: Timestamp;
  status: 'held' | 'rewarded' | 'cancelled' | 'clawed_back';
  reason: string | null;
  rewarded_at: NullableTimestamp;
  ended_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface ReferralShareMessagesTable {
  shop_id: string;
  customer_id: string;
  channel: string;
  locale: string;
  text: string;
  subject: string | null;
  updated_at: Timestamp;
}

export interface AffiliatesTable {
  shop_id: string;
  id: string;
  name: string;
  email: string | null;
  code: string;
  code_key: string;
  /** numeric: pg returns it as a string. */
  commission_percent: ColumnType<string, number, number>;
  attribution_window_days: ColumnType<number, number | undefined, number>;
  archived_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface AffiliateVisitsTable {
  shop_id: string;
  id: string;
  affiliate_id: string;
  client_address: string | null;
  user_agent: string | null;
  visited_at: Timestamp;
}

export interface AffiliateOrdersTable {
  shop_id: string;
  order_id: string;
  affiliate_id: string;
  source: 'code' | 'link';
  visit_id: string | null;
  commission_percent: ColumnType<string, number | string, number | string>;
  attributed_at: Timestamp;
}

export interface AffiliatePayoutsTable {
  shop_id: string;
  affiliate_id: string;
  period: string;
  orders: number;
  revenue: Int8;
  refunds: Int8;
  commission: Int8;
  reference: string | null;
  paid_at: Timestamp;
}

export interface CustomerPredictionsTable {
  shop_id: string;
  customer_id: string;
  probability_alive: number;
  expected_purchases: number;
  predicted_clv: ColumnType<number | null, number | null | undefined, number | null>;
  scored_at: Timestamp;
}

// Analytics rollups (0019): kept by triggers on orders; dates are `YYYY-MM-DD` in the shop's zone.
export interface CustomerOrderDaysTable {
  shop_id: string;
  customer_id: string;
  day: string;
  orders: number;
  net: number;
  prev_day: string | null;
}

export interface CustomerRollupsTable {
  shop_id: string;
  customer_id: string;
  first_day: string;
  last_day: string;
  orders_count: number;
  purchase_days: number;
  total_spent: number;
  first_day_net: number;
  /** 0058: the second purchase day (null: one so far) */
  second_day: ColumnType<string | null, string | null | undefined, string | null>;
  // 0048: for the lift
  first_at: NullableTimestamp;
  later_at: NullableTimestamp;
  holdout_position: ColumnType<
    string | null,
    number | string | null | undefined,
    number | string | null
  >;
}

// Summary rollups (0048)

export interface ShopOrderDaysTable {
  shop_id: string;
  day: string;
  orders: number;
  net: number;
  customer_orders: number;
  customer_net: number;
}

export interface CustomerDayPairsTable {
  shop_id: string;
  kind: number;
  a: string;
  b: string;
  customers: number;
  singles: number;
  net: number;
}

export interface CustomerLiftPairsTable {
  shop_id: string;
  b: string;
  a: string;
  holdout: boolean;
  customers: number;
  retained: number;
  repeaters: number;
  net: number;
  net_squares: string;
}

export interface AnalyticsLiftHoldoutTable {
  shop_id: string;
  percent: string;
}

export interface CustomerRfmValuesTable {
  shop_id: string;
  fact: number;
  value: number;
  customers: number;
}

export interface CohortActivityTable {
  shop_id: string;
  cohort_month: string;
  month: string;
  customers: number;
  revenue: number;
}

// Automation and messaging (0016)

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
type Json<T> = ColumnType<T, string, string>;
/** jsonb NOT NULL DEFAULT '{}': an insert may leave it out. */
type DefaultJson<T> = ColumnType<T, string | undefined, string>;

export interface MessagingSettingsTable {
  shop_id: string;
  sender_name: Nullable<string>;
  from_address: Nullable<string>;
  reply_to: Nullable<string>;
  postal_address: Nullable<string>;
  brand: DefaultJson<Record<string, unknown>>;
  sms_sender: Nullable<string>;
  sms_provider: Nullable<'smsapi' | 'twilio'>;
  sms_credentials: Nullable<Buffer>;
  vapid_public_key: Nullable<string>;
  vapid_private_key: Nullable<Buffer>;
  quiet_start: Generated<string>;
  quiet_end: Generated<string>;
  weekly_marketing_cap: Generated<number>;
  tracking: Generated<boolean>;
  conversion_days: Generated<number>;
  updated_at: Generated<Date>;
}

export type MessageChannel = 'email' | 'sms' | 'push' | 'webhook';
export type ConsentChannel = 'email' | 'sms' | 'push';
export type ConsentPurpose = 'marketing' | 'loyalty' | 'feedback';
export type MessagePurpose = 'transactional' | ConsentPurpose;
/** Consent to show the customer's first name in storefront social proof (0040). */
export type StorefrontConsent = { channel: 'storefront'; purpose: 'social_proof' };

export interface ConsentsTable {
  shop_id: string;
  customer_id: string;
  channel: ConsentChannel | StorefrontConsent['channel'];
  purpose: ConsentPurpose | StorefrontConsent['purpose'];
  granted: boolean;
  changed_at: Timestamp;
  event_id: string;
}

export interface ConsentEventsTable {
  shop_id: string;
  id: string;
  customer_id: string;
  channel: ConsentChannel | StorefrontConsent['channel'];
  purpose: ConsentPurpose | StorefrontConsent['purpose'];
  granted: boolean;
  source:
    | 'api'
    | 'preferences_page'
    | 'unsubscribe_link'
    | 'list_unsubscribe'
    | 'sms_stop'
    | 'staff'
    | 'popup'
    | 'storefront'
    | 'import';
  text_shown: Nullable<string>;
  client_address: Nullable<string>;
  user_agent: Nullable<string>;
  message_id: Nullable<string>;
  occurred_at: Timestamp;
  /** Where the consent was given (0039: a pop-up's page). */
  page: Nullable<string>;
}

export interface SuppressionsTable {
  shop_id: string;
  channel: ConsentChannel;
  address: string;
  reason: 'bounced' | 'complained' | 'stop';
  message_id: Nullable<string>;
  created_at: Timestamp;
}

export interface FlowsTable {
  shop_id: string;
  id: string;
  name: string;
  ready_key: Nullable<string>;
  status: 'active' | 'paused' | 'archived';
  version: Generated<number>;
  definition: Json<unknown>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface FlowVersionsTable {
  shop_id: string;
  flow_id: string;
  version: number;
  definition: Json<unknown>;
  created_at: Timestamp;
}

export interface AutomationTriggersTable {
  shop_id: string;
  id: string;
  customer_id: string;
  type: string;
  data: DefaultJson<Record<string, unknown>>;
  occurred_at: Timestamp;
  processed_at: NullableTimestamp;
  error: Nullable<string>;
}

export interface FlowRunsTable {
  shop_id: string;
  id: string;
  flow_id: string;
  flow_version: number;
  customer_id: string;
  trigger_key: string;
  status: 'active' | 'completed' | 'exited' | 'failed';
  step_index: Generated<number>;
  due_at: NullableTimestamp;
  variant: Nullable<string>;
  context: DefaultJson<Record<string, unknown>>;
  attempts: Generated<number>;
  last_error: Nullable<string>;
  started_at: Timestamp;
  ended_at: NullableTimestamp;
  end_reason: Nullable<string>;
}

export interface FlowRunStepsTable {
  shop_id: string;
  run_id: string;
  step_index: number;
  step_id: string;
  kind: string;
  outcome: string;
  detail: DefaultJson<Record<string, unknown>>;
  at: Timestamp;
}

export type MessageStatus =
  | 'queued'
  | 'claimed'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'bounced'
  | 'failed'
  | 'suppressed'
  | 'uncertain';

export interface MessagesTable {
  shop_id: string;
  id: string;
  send_key: string;
  customer_id: Nullable<string>;
  channel: MessageChannel;
  purpose: MessagePurpose;
  template_key: string;
  locale: string;
  variables: DefaultJson<Record<string, unknown>>;
  flow_id: Nullable<string>;
  run_id: Nullable<string>;
  step_id: Nullable<string>;
  variant: Nullable<string>;
  to_address: Nullable<string>;
  status: MessageStatus;
  status_reason: Nullable<string>;
  not_before: Timestamp;
  attempts: Generated<number>;
  claim_token: Nullable<string>;
  claimed_at: NullableTimestamp;
  subject: Nullable<string>;
  body_text: Nullable<string>;
  provider_id: Nullable<string>;
  segments: Nullable<number>;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
  delivered_at: NullableTimestamp;
  opened_at: NullableTimestamp;
  clicked_at: NullableTimestamp;
  converted_at: NullableTimestamp;
  converted_order_id: Nullable<string>;
}

export interface MessageEventsTable {
  shop_id: string;
  id: Generated<number>;
  message_id: string;
  kind: 'opened' | 'clicked' | 'delivered' | 'bounced' | 'complained' | 'unsubscribed';
  url: Nullable<string>;
  client_address: Nullable<string>;
  at: Timestamp;
}

export interface MailOutboxTable {
  shop_id: string;
  message_id: string;
  to_address: string;
  subject: string;
  raw: string;
  created_at: Timestamp;
}

export interface PushSubscriptionsTable {
  shop_id: string;
  id: string;
  customer_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  user_agent: Nullable<string>;
  created_at: Timestamp;
  revoked_at: NullableTimestamp;
}

export interface WebhookEndpointsTable {
  shop_id: string;
  id: string;
  url: string;
  secret: Buffer;
  status: Generated<'active' | 'disabled'>;
  created_at: Timestamp;
}

export interface MessageTemplatesTable {
  shop_id: string;
  template_key: string;
  channel: ConsentChannel;
  locale: string;
  content: Json<Record<string, unknown>>;
  updated_at: Timestamp;
}

// Surveys and reviews (0017)

export type SurveyKind = 'nps' | 'csat';
export type ReviewStatus = 'pending' | 'approved' | 'rejected';
export type ReviewTarget = 'product' | 'shop';
export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';

export type SocialProofMessage = 'bought_today' | 'recent_city' | 'recent_name';

export interface SocialProofSettingsTable {
  shop_id: string;
  enabled: boolean;
  min_customers: number;
  recent_days: number;
  show_first_names: boolean;
  messages: SocialProofMessage[];
  updated_at: Timestamp;
}

export interface SurveySettingsTable {
  shop_id: string;
  answer_change_days: Generated<number>;
  link_valid_days: Generated<number>;
  follow_up_tasks: Generated<boolean>;
  updated_at: Timestamp;
}

export interface SurveyRequestsTable {
  shop_id: string;
  id: string;
  customer_id: string;
  kind: SurveyKind;
  locale: string;
  message_id: Nullable<string>;
  run_id: Nullable<string>;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface SurveyAnswersTable {
  shop_id: string;
  request_id: string;
  customer_id: string;
  kind: SurveyKind;
  score: number;
  comment: Nullable<string>;
  task_id: Nullable<string>;
  changes: Generated<number>;
  first_answered_at: Timestamp;
  answered_at: Timestamp;
  changeable_until: Timestamp;
}

export interface ReviewRequestsTable {
  shop_id: string;
  id: string;
  customer_id: string;
  order_id: Nullable<string>;
  product_ids: ColumnType<string[], string[] | undefined, string[]>;
  locale: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface ReviewsTable {
  shop_id: string;
  id: string;
  customer_id: string;
  request_id: Nullable<string>;
  target: ReviewTarget;
  product_id: Nullable<string>;
  rating: number;
  title: Nullable<string>;
  body: Nullable<string>;
  photo_url: Nullable<string>;
  has_photo: Generated<boolean>;
  status: Generated<ReviewStatus>;
  moderation_note: Nullable<string>;
  moderated_by: Nullable<string>;
  moderated_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** The shop's public reply. */
  reply: Nullable<string>;
  replied_by: Nullable<string>;
  replied_at: NullableTimestamp;
}

export interface ReviewPhotosTable {
  shop_id: string;
  review_id: string;
  content_type: PhotoType;
  bytes: Buffer;
  created_at: Timestamp;
}

export interface PeriodicTaskDaysTable {
  shop_id: string;
  task: string;
  /** The shop's local day, `YYYY-MM-DD`. */
  day: string;
  done_at: Timestamp;
  done: number;
}

// Merchant accounts and the audit log (0027)

export type MemberRole = 'owner' | 'admin' | 'marketer' | 'support' | 'analyst';

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  /** Sealed with the instance key. */
  totp_secret: Nullable<Buffer>;
  totp_enabled_at: NullableTimestamp;
  created_at: Timestamp;
  password_changed_at: Timestamp;
}

export interface MembershipsTable {
  shop_id: string;
  user_id: string;
  role: MemberRole;
  created_at: Timestamp;
}

export interface UserSessionsTable {
  id: string;
  user_id: string;
  token_hash: Buffer;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ended_at: NullableTimestamp;
}

export interface InvitationsTable {
  id: string;
  shop_id: string;
  email: string;
  role: MemberRole;
  invited_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  accepted_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface PasswordResetsTable {
  id: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

/** The customer portal's magic links (0038): only the token's SHA-256, single use, 15 minutes. */
export interface PortalSignInLinksTable {
  shop_id: string;
  id: string;
  customer_id: string;
  token_hash: string;
  locale: 'pl' | 'en';
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface AccountMailTable {
  id: Generated<number>;
  to_address: string;
  subject: string;
  raw: string;
  created_at: Timestamp;
}

/** jsonb, NULL when the write has no such side (a creation has no before). */
type NullableJson = ColumnType<unknown, string | null | undefined, string | null>;

export type AuditActorType = 'user' | 'api_key' | 'staff' | 'system';

export interface AuditLogTable {
  id: Generated<number>;
  shop_id: string;
  at: Timestamp;
  actor_type: AuditActorType;
  actor_id: Nullable<string>;
  actor_name: Nullable<string>;
  action: string;
  target_type: Nullable<string>;
  target_id: Nullable<string>;
  before: NullableJson;
  after: NullableJson;
  /** NULL when the write recorded it; 'unconfirmed' when a sweep did, from its intent. */
  outcome: ColumnType<'unconfirmed' | null, 'unconfirmed' | null | undefined, never>;
}

/** A write announced to the audit log before it runs (migration 0033). */
export interface AuditIntentTable {
  id: Generated<number>;
  shop_id: string;
  at: Timestamp;
  actor_type: AuditActorType;
  actor_id: Nullable<string>;
  actor_name: Nullable<string>;
  action: string;
  target_type: Nullable<string>;
  target_id: Nullable<string>;
  before: NullableJson;
}

/** On-site pop-ups (0039): definition is popups/popup-schema.ts's PopupDefinition. */
export interface PopupsTable {
  shop_id: string;
  id: string;
  name: string;
  kind: 'newsletter';
  status: 'active' | 'paused' | 'archived';
  definition: ColumnType<Record<string, unknown>, string, string>;
  coupon_campaign_id: string | null;
  coupon_valid_days: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PopupImpressionsTable {
  shop_id: string;
  popup_id: string;
  visitor_id: string;
  /** The shop's local day, YYYY-MM-DD. */
  day: ColumnType<string, string, string>;
  variant: string;
  created_at: Timestamp;
}

export interface PopupSignUpsTable {
  shop_id: string;
  id: string;
  popup_id: string;
  variant: string;
  visitor_id: string | null;
  email: string | null;
  locale: 'pl' | 'en';
  text_shown: string | null;
  page: string | null;
  client_address: string | null;
  user_agent: string | null;
  signed_up_at: Timestamp;
  mail_sent_at: NullableTimestamp;
  mails_sent: Generated<number>;
  confirmed_at: NullableTimestamp;
  customer_id: string | null;
  consent_event_id: string | null;
  coupon_id: string | null;
}

export interface ProductsTable {
  shop_id: string;
  external_id: string;
  name: string;
  url: string | null;
  image_url: string | null;
  price: NullableInt8;
  currency: string | null;
  category_ids: Generated<string[]>;
  active: Generated<boolean>;
  source_updated_at: Timestamp;
  updated_at: Generated<Date>;
}

export interface ConnectionsTable {
  shop_id: string;
  id: string;
  platform: string;
  settings: ColumnType<Record<string, unknown>, string, string>;
  credentials: Buffer;
  account_name: string | null;
  push_codes: Generated<boolean>;
  paused_at: NullableTimestamp;
  needs_attention: string | null;
  hook_token_hash: Buffer;
  sync_since: Timestamp;
  sync_cursor: ColumnType<unknown, string | null, string | null>;
  synced_to: NullableTimestamp;
  next_pull_at: ColumnType<Date, Date | string | undefined, Date | string>;
  pull_failures: Generated<number>;
  last_pull_at: NullableTimestamp;
  last_pull_ok_at: NullableTimestamp;
  push_failures: Generated<number>;
  last_push_at: NullableTimestamp;
  last_push_ok_at: NullableTimestamp;
  records_pulled: ColumnType<number, number | undefined, number>;
  backfill_from: NullableTimestamp;
  backfill_until: NullableTimestamp;
  backfill_earn_points: Generated<boolean>;
  backfill_cursor: ColumnType<unknown, string | null, string | null>;
  backfill_total: number | null;
  backfill_imported: Generated<number>;
  backfill_done_at: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ConnectionErrorsTable {
  shop_id: string;
  connection_id: string;
  id: string;
  at: Timestamp;
  direction: 'test' | 'pull' | 'push';
  kind: string;
  message: string;
}

export interface PlatformCodesTable {
  shop_id: string;
  connection_id: string;
  coupon_id: string;
  state: ColumnType<
    'pending' | 'created' | 'disabled',
    'pending' | 'created' | 'disabled' | undefined,
    'pending' | 'created' | 'disabled'
  >;
  ref: string | null;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_error: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** The words a shop asks for consent with (0045). */
export interface ConsentTextsTable {
  shop_id: string;
  channel: ConsentChannel;
  purpose: ConsentPurpose;
  locale: 'pl' | 'en';
  text: string;
  updated_at: Date;
}

/** A whole-shop export or an audience file (0053), kept until `expires_at`. */
export interface ExportsTable {
  shop_id: string;
  id: string;
  kind: 'shop' | 'audience';
  format: 'jsonl' | 'csv' | 'meta' | 'google' | 'tiktok';
  segment_id: string | null;
  status: ColumnType<ExportStatus, ExportStatus | undefined, ExportStatus>;
  requested_by: string | null;
  file_name: string;
  content_type: string;
  rows: NullableInt8;
  bytes: NullableInt8;
  error: string | null;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  expires_at: Timestamp;
}

export type ExportStatus = 'queued' | 'running' | 'done' | 'failed' | 'expired';

export interface ExportChunksTable {
  shop_id: string;
  export_id: string;
  seq: number;
  data: Buffer;
}

/** A file being imported, or imported (0052). */
export interface ImportsTable {
  shop_id: string;
  id: string;
  kind: string;
  format: string;
  file_name: string | null;
  content_hash: string | null;
  dry_run: boolean;
  status: 'reading' | 'ready' | 'running' | 'done' | 'failed' | 'duplicate';
  idempotency_key: string | null;
  duplicate_of: string | null;
  rows_read: Generated<number>;
  rows_applied: Generated<number>;
  rows_failed: Generated<number>;
  changes: ColumnType<Record<string, number>, string | undefined, string>;
  checkpoint_line: Generated<number>;
  batches: Generated<number>;
  runner: string | null;
  heartbeat_at: NullableTimestamp;
  error: string | null;
  actor: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: NullableTimestamp;
}

/** One record of an import's file, with its line and the error that refused it (0052). */
export interface ImportRowsTable {
  shop_id: string;
  import_id: string;
  line: Int8;
  key: string | null;
  data: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  error: string | null;
}

/** A shop's privacy settings (0051): the suppression salt and the retention periods. */
export interface PrivacySettingsTable {
  shop_id: string;
  suppression_salt: Buffer;
  raw_events_days: number | null;
  message_bodies_days: number | null;
  visit_logs_days: number | null;
  inactive_customer_years: number | null;
  updated_at: DefaultTimestamp;
}

/** One erasure request, applied (0051): who, when, on which basis; never the erased data. */
export interface CustomerErasuresTable {
  shop_id: string;
  id: string;
  customer_id: string;
  requested_by: string;
  basis: string;
  reason: string | null;
  event_id: string | null;
  requested_at: Timestamp;
  applied_at: Timestamp;
}

/** A platform's data request answered: the export kept for the merchant (0051). */
export interface CustomerDataExportsTable {
  shop_id: string;
  id: string;
  customer_id: string;
  source: string;
  request_ref: string | null;
  export: ColumnType<unknown, string, string>;
  created_at: Timestamp;
  downloaded_at: NullableTimestamp;
}
