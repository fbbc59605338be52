-- Stamp cards: N stamps → a reward. Staff stamp by scanning a customer's signed, short-lived QR
-- payload; paid orders stamp per order or per unit of listed products.

-- Staff devices. Like API keys, only the SHA-256 of the random token is stored; the hash finds
-- the shop (the deliberate cross-shop lookup, as for API keys).
CREATE TABLE staff_members (
  shop_id     text NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
  id          text NOT NULL,
  name        text NOT NULL,
  role        text NOT NULL CHECK (role IN ('staff', 'manager')),
  token_hash  bytea NOT NULL,
  token_hint  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz,
  PRIMARY KEY (shop_id, id)
);
CREATE UNIQUE INDEX staff_members_token ON staff_members (token_hash);

-- The key that signs a shop's stamp QR payloads: 32 random bytes, sealed with the instance key
-- (SecretBox), made on first use.
CREATE TABLE stamp_qr_keys (
  shop_id     text PRIMARY KEY REFERENCES shops (id) ON DELETE CASCADE,
  key_box     bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- A programme: how stamps are earned (earn_by), how many fill a card, the daily limit per
-- customer (shop's time zone) and the reward ({type: 'coupon', discount, …} or
-- {type: 'reward', rewardId}).
CREATE TABLE stamp_programmes (
  shop_id          text NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
  id               text NOT NULL,
  name             jsonb NOT NULL,
  stamps_required  integer NOT NULL CHECK (stamps_required BETWEEN 1 AND 1000),
  earn_by          text NOT NULL CHECK (earn_by IN ('visit', 'order', 'product')),
  product_ids      text[] NOT NULL DEFAULT '{}',
  category_ids     text[] NOT NULL DEFAULT '{}',
  min_order        bigint CHECK (min_order >= 0),
  daily_limit      integer CHECK (daily_limit > 0),
  reward           jsonb NOT NULL,
  active           boolean NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, id)
);

-- A customer's cards: one open card per programme (the partial unique index), locked while a
-- stamp is added. stamps_required is the programme's N when the card opened: a card never gets
-- harder half-way. A completed card names the coupon its reward issued (NULL for a perk).
CREATE TABLE stamp_cards (
  shop_id           text NOT NULL,
  id                text NOT NULL,
  programme_id      text NOT NULL,
  customer_id       text NOT NULL,
  number            integer NOT NULL CHECK (number > 0),
  stamps            integer NOT NULL DEFAULT 0 CHECK (stamps >= 0),
  stamps_required   integer NOT NULL CHECK (stamps_required > 0),
  opened_at         timestamptz NOT NULL,
  last_stamp_at     timestamptz,
  completed_at      timestamptz,
  reward_coupon_id  text,
  PRIMARY KEY (shop_id, id),
  FOREIGN KEY (shop_id, programme_id) REFERENCES stamp_programmes (shop_id, id),
  FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id),
  FOREIGN KEY (shop_id, reward_coupon_id) REFERENCES coupons (shop_id, id),
  CHECK (stamps <= stamps_required),
  CHECK ((completed_at IS NULL) OR stamps = stamps_required)
);
CREATE UNIQUE INDEX stamp_cards_open ON stamp_cards (shop_id, programme_id, customer_id)
  WHERE completed_at IS NULL;
CREATE INDEX stamp_cards_customer ON stamp_cards (shop_id, customer_id, programme_id, number);

-- Every stamp, with who and why: a staff scan (staff member and the payload's nonce, unique, so
-- a payload is used once even by two devices at the same instant) or a paid order.
-- local_day is the shop's calendar day, for the daily limit.
CREATE TABLE stamps (
  shop_id          text NOT NULL,
  id               text NOT NULL,
  card_id          text NOT NULL,
  programme_id     text NOT NULL,
  customer_id      text NOT NULL,
  source           text NOT NULL CHECK (source IN ('scan', 'order')),
  staff_member_id  text,
  scan_nonce       text,
  order_id         text,
  local_day        date NOT NULL,
  created_at       timestamptz NOT NULL,
  PRIMARY KEY (shop_id, id),
  FOREIGN KEY (shop_id, card_id) REFERENCES stamp_cards (shop_id, id),
  FOREIGN KEY (shop_id, staff_member_id) REFERENCES staff_members (shop_id, id),
  CHECK ((source = 'scan') = (staff_member_id IS NOT NULL AND scan_nonce IS NOT NULL)),
  CHECK ((source = 'order') = (order_id IS NOT NULL))
);
CREATE UNIQUE INDEX stamps_scan_nonce ON stamps (shop_id, scan_nonce) WHERE scan_nonce IS NOT NULL;
CREATE INDEX stamps_daily ON stamps (shop_id, programme_id, customer_id, local_day);
CREATE INDEX stamps_card ON stamps (shop_id, card_id, created_at);

-- What each paid order earned in each programme and what the daily limit let through: the
-- primary key makes a redelivered or replayed order stamp once.
CREATE TABLE stamp_order_awards (
  shop_id       text NOT NULL,
  programme_id  text NOT NULL,
  order_id      text NOT NULL,
  customer_id   text NOT NULL,
  earned        integer NOT NULL CHECK (earned > 0),
  given         integer NOT NULL CHECK (given >= 0 AND given <= earned),
  created_at    timestamptz NOT NULL,
  PRIMARY KEY (shop_id, programme_id, order_id),
  FOREIGN KEY (shop_id, programme_id) REFERENCES stamp_programmes (shop_id, id)
);
