-- Gift cards: money on a code. Their movements use the points ledger's module and the same
-- table shapes (a second book): an issue or top-up is a lot with its expiry, a spend takes from
-- the oldest lots, a refund gives back to the lots it was taken from. order_id on an entry holds
-- the shop's own order id (a spend may come before Lojal knows the order).
CREATE TABLE gift_cards (
  shop_id         text NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
  id              text NOT NULL,
  code            text NOT NULL,
  code_key        text GENERATED ALWAYS AS (upper(regexp_replace(code, '[\s-]', '', 'g'))) STORED,
  currency        char(3) NOT NULL,
  initial_amount  bigint NOT NULL CHECK (initial_amount > 0),
  expires_at      timestamptz,
  customer_id     text,
  disabled_at     timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, id),
  UNIQUE (shop_id, code_key)
);

CREATE TABLE gift_card_accounts (
  shop_id          text NOT NULL,
  gift_card_id     text NOT NULL,
  balance          bigint NOT NULL DEFAULT 0,
  debt             bigint NOT NULL DEFAULT 0 CHECK (debt = 0),
  lifetime_earned  bigint NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, gift_card_id),
  FOREIGN KEY (shop_id, gift_card_id) REFERENCES gift_cards (shop_id, id)
);

CREATE TABLE gift_card_entries (
  LIKE point_entries INCLUDING DEFAULTS INCLUDING CONSTRAINTS
);
ALTER TABLE gift_card_entries RENAME COLUMN customer_id TO gift_card_id;
ALTER TABLE gift_card_entries ADD PRIMARY KEY (shop_id, id);
ALTER TABLE gift_card_entries ADD UNIQUE (shop_id, idempotency_key);
ALTER TABLE gift_card_entries ADD FOREIGN KEY (shop_id, gift_card_id)
  REFERENCES gift_card_accounts (shop_id, gift_card_id);
CREATE INDEX gift_card_entries_card ON gift_card_entries (shop_id, gift_card_id, id);
CREATE INDEX gift_card_entries_order ON gift_card_entries (shop_id, order_id) WHERE order_id IS NOT NULL;

CREATE TABLE gift_card_lots (
  LIKE point_lots INCLUDING DEFAULTS INCLUDING CONSTRAINTS
);
ALTER TABLE gift_card_lots RENAME COLUMN customer_id TO gift_card_id;
ALTER TABLE gift_card_lots ADD PRIMARY KEY (shop_id, entry_id);
ALTER TABLE gift_card_lots ADD FOREIGN KEY (shop_id, entry_id) REFERENCES gift_card_entries (shop_id, id);
CREATE INDEX gift_card_lots_open ON gift_card_lots (shop_id, gift_card_id, entry_id) WHERE remaining > 0;
CREATE INDEX gift_card_lots_expiring ON gift_card_lots (expires_at) WHERE remaining > 0;

CREATE TABLE gift_card_allocations (
  LIKE point_allocations INCLUDING DEFAULTS INCLUDING CONSTRAINTS
);
ALTER TABLE gift_card_allocations ADD PRIMARY KEY (shop_id, entry_id, lot_id);
