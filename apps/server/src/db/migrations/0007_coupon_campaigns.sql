-- Coupon campaigns: the terms a set of codes shares (one shared code or many unique ones).
-- budget is the most discount the campaign may give in total, in minor units; budget_used and
-- uses count what paid orders took, and go back when a use is returned.
CREATE TABLE coupon_campaigns (
  shop_id               text NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
  id                    text NOT NULL,
  name                  text NOT NULL,
  discount              jsonb NOT NULL,
  min_basket            bigint,
  starts_at             timestamptz,
  ends_at               timestamptz,
  uses_per_code         integer CHECK (uses_per_code > 0),
  uses_per_customer     integer CHECK (uses_per_customer > 0),
  budget                bigint CHECK (budget > 0),
  budget_used           bigint NOT NULL DEFAULT 0 CHECK (budget_used >= 0),
  uses                  integer NOT NULL DEFAULT 0 CHECK (uses >= 0),
  product_ids           text[] NOT NULL DEFAULT '{}',
  category_ids          text[] NOT NULL DEFAULT '{}',
  exclude_product_ids   text[] NOT NULL DEFAULT '{}',
  exclude_category_ids  text[] NOT NULL DEFAULT '{}',
  first_order_only      boolean NOT NULL DEFAULT false,
  segment_id            text,
  min_tier              text,
  stackable             boolean NOT NULL DEFAULT false,
  return_use_on_cancel  boolean NOT NULL DEFAULT true,
  archived_at           timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, id),
  CHECK (budget IS NULL OR budget_used <= budget)
);

ALTER TABLE coupons ADD COLUMN campaign_id text;
ALTER TABLE coupons ADD FOREIGN KEY (shop_id, campaign_id) REFERENCES coupon_campaigns (shop_id, id);
CREATE INDEX coupons_campaign ON coupons (shop_id, campaign_id, id) WHERE campaign_id IS NOT NULL;

-- A use records who used it and for how much, so limits per customer and the budget hold, and
-- a cancelled or refunded order can give its use back (released_at).
ALTER TABLE coupon_uses ADD COLUMN customer_id text;
ALTER TABLE coupon_uses ADD COLUMN campaign_id text;
ALTER TABLE coupon_uses ADD COLUMN discount_amount bigint NOT NULL DEFAULT 0;
ALTER TABLE coupon_uses ADD COLUMN released_at timestamptz;
CREATE INDEX coupon_uses_campaign_customer ON coupon_uses (shop_id, campaign_id, customer_id)
  WHERE released_at IS NULL;
CREATE INDEX coupon_uses_order ON coupon_uses (shop_id, order_id);
