-- The loyalty programme, versioned: earning rules, campaigns and settings as one JSON value.
-- A draft has no published_at (at most one per shop); the live version is the newest
-- published one. Ledger entries name the version whose rule produced them.
CREATE TABLE programme_versions (
  shop_id       text NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
  version       integer NOT NULL CHECK (version > 0),
  programme     jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  published_at  timestamptz,
  published_by  text,
  PRIMARY KEY (shop_id, version)
);
CREATE UNIQUE INDEX programme_versions_one_draft ON programme_versions (shop_id)
  WHERE published_at IS NULL;

-- Things a customer did outside orders that rules may reward: reviews, newsletter sign-ups,
-- social follows, custom events. Kept for the customer 360, segments and flows too.
CREATE TABLE customer_activities (
  shop_id      text NOT NULL,
  id           text NOT NULL,
  customer_id  text NOT NULL,
  type         text NOT NULL,
  external_id  text,
  data         jsonb NOT NULL DEFAULT '{}',
  occurred_at  timestamptz NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, id),
  FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
);
CREATE INDEX customer_activities_customer ON customer_activities (shop_id, customer_id, occurred_at);

-- One points account per customer. balance always equals the sum of the account's entries,
-- and equals the sum of its lots' remaining points less debt (points owed after a refund
-- took back points that had already been spent).
CREATE TABLE point_accounts (
  shop_id          text NOT NULL,
  customer_id      text NOT NULL,
  balance          bigint NOT NULL DEFAULT 0,
  debt             bigint NOT NULL DEFAULT 0 CHECK (debt >= 0),
  lifetime_earned  bigint NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, customer_id),
  FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
);

-- Append-only. Each entry has a cause and an idempotency key derived from it, so a retried
-- cause can never post twice. effective_at is when it counts (an order's paid time);
-- recorded_at is when it was written.
CREATE TABLE point_entries (
  shop_id            text NOT NULL,
  id                 text NOT NULL,
  customer_id        text NOT NULL,
  points             bigint NOT NULL,
  kind               text NOT NULL CHECK (kind IN ('earn', 'redeem', 'expire', 'reverse', 'adjust')),
  cause              text NOT NULL CHECK (cause IN ('order', 'rule', 'redemption', 'adjustment', 'expiry', 'reversal')),
  idempotency_key    text NOT NULL,
  balance_after      bigint NOT NULL,
  order_id           text,
  rule_id            text,
  rule_code          text,
  programme_version  integer,
  redemption_id      text,
  reverses_entry_id  text,
  refund_id          text,
  absorbed           bigint NOT NULL DEFAULT 0 CHECK (absorbed >= 0),
  already_expired    bigint NOT NULL DEFAULT 0 CHECK (already_expired >= 0),
  reason             text,
  actor              text,
  available_at       timestamptz,
  expires_at         timestamptz,
  effective_at       timestamptz NOT NULL,
  recorded_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, id),
  UNIQUE (shop_id, idempotency_key),
  FOREIGN KEY (shop_id, customer_id) REFERENCES point_accounts (shop_id, customer_id)
);
CREATE INDEX point_entries_customer ON point_entries (shop_id, customer_id, id);
CREATE INDEX point_entries_order ON point_entries (shop_id, order_id) WHERE order_id IS NOT NULL;
CREATE INDEX point_entries_rule ON point_entries (shop_id, customer_id, rule_id, effective_at)
  WHERE rule_id IS NOT NULL;
CREATE INDEX point_entries_effective ON point_entries (shop_id, effective_at);

-- Every credit is a lot; spending takes from the oldest available lots first and expiry
-- removes what remains of a lot at its expires_at.
CREATE TABLE point_lots (
  shop_id       text NOT NULL,
  entry_id      text NOT NULL,
  customer_id   text NOT NULL,
  points        bigint NOT NULL CHECK (points > 0),
  remaining     bigint NOT NULL CHECK (remaining >= 0 AND remaining <= points),
  available_at  timestamptz NOT NULL,
  expires_at    timestamptz,
  owed          bigint NOT NULL DEFAULT 0 CHECK (owed >= 0),     -- absorbed at a reversal; kept back from returns
  expired       bigint NOT NULL DEFAULT 0 CHECK (expired >= 0),  -- expired, not yet matched by a reversal
  PRIMARY KEY (shop_id, entry_id),
  FOREIGN KEY (shop_id, entry_id) REFERENCES point_entries (shop_id, id)
);
CREATE INDEX point_lots_open ON point_lots (shop_id, customer_id, entry_id) WHERE remaining > 0;
CREATE INDEX point_lots_expiring ON point_lots (expires_at) WHERE remaining > 0;

-- Which lots a debit took its points from, so a reversal can give them back where they were.
CREATE TABLE point_allocations (
  shop_id   text NOT NULL,
  entry_id  text NOT NULL,
  lot_id    text NOT NULL,
  points    bigint NOT NULL CHECK (points > 0),
  PRIMARY KEY (shop_id, entry_id, lot_id)
);

-- The rewards catalogue. config holds the kind's parameters (amount, percent, cap, product).
CREATE TABLE rewards (
  shop_id             text NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
  id                  text NOT NULL,
  name                jsonb NOT NULL,          -- {"pl": "...", "en": "..."}
  description         jsonb,
  kind                text NOT NULL,
  points_cost         bigint NOT NULL CHECK (points_cost > 0),
  config              jsonb NOT NULL DEFAULT '{}',
  starts_at           timestamptz,
  ends_at             timestamptz,
  stock               integer CHECK (stock >= 0),   -- NULL: unlimited; counts down
  per_customer_limit  integer CHECK (per_customer_limit > 0),
  min_tier            text,
  coupon_valid_days   integer NOT NULL DEFAULT 30 CHECK (coupon_valid_days > 0),
  archived_at         timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, id)
);

CREATE TABLE redemptions (
  shop_id       text NOT NULL,
  id            text NOT NULL,
  customer_id   text NOT NULL,
  reward_id     text NOT NULL,
  points_spent  bigint NOT NULL,
  entry_id      text NOT NULL,
  coupon_id     text,
  status        text NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'used', 'returned', 'fulfilled')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, id),
  FOREIGN KEY (shop_id, reward_id) REFERENCES rewards (shop_id, id),
  FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
);
CREATE INDEX redemptions_customer ON redemptions (shop_id, customer_id, reward_id);

-- Coupon codes Lojal issued (for rewards now; campaigns and referrals build on the same table).
-- Codes compare without case, spaces or dashes (code_key); a use is one order that consumed it.
CREATE TABLE coupons (
  shop_id        text NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
  id             text NOT NULL,
  code           text NOT NULL,
  code_key       text GENERATED ALWAYS AS (upper(regexp_replace(code, '[\s-]', '', 'g'))) STORED,
  source         text NOT NULL CHECK (source IN ('reward', 'campaign', 'referral')),
  customer_id    text,                   -- only this customer may use it, when set
  redemption_id  text,
  discount       jsonb NOT NULL,         -- {kind, amount?, currency?, percent?, cap?, productId?}
  min_basket     bigint,
  starts_at      timestamptz,
  expires_at     timestamptz,
  usage_limit    integer CHECK (usage_limit > 0),
  used_count     integer NOT NULL DEFAULT 0 CHECK (used_count >= 0),
  points_returned_at timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, id),
  UNIQUE (shop_id, code_key),
  CHECK (usage_limit IS NULL OR used_count <= usage_limit)
);
CREATE INDEX coupons_expiring ON coupons (shop_id, expires_at)
  WHERE source = 'reward' AND used_count = 0 AND points_returned_at IS NULL;

CREATE TABLE coupon_uses (
  shop_id    text NOT NULL,
  coupon_id  text NOT NULL,
  order_id   text NOT NULL,
  used_at    timestamptz NOT NULL,
  PRIMARY KEY (shop_id, coupon_id, order_id),
  FOREIGN KEY (shop_id, coupon_id) REFERENCES coupons (shop_id, id)
);
