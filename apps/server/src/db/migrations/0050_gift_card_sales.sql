-- Gift cards customers buy: online (a platform product marked as a gift card) and at the counter.

-- A card's PIN, kept as a hash like its code: the public balance page asks for both.
ALTER TABLE gift_cards ADD COLUMN pin_hash bytea;

-- What the buyer typed on the product page (Shopify line item `properties`, WooCommerce
-- `meta_data`): a gift card's recipient, message and delivery date. Key → value, both text.
ALTER TABLE order_lines ADD COLUMN properties jsonb;

-- The platform products the merchant sells as gift cards: any amount (the line's price) or
-- fixed values per variant (variant id → minor units).
CREATE TABLE gift_card_products (
  shop_id           text NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
  product_id        text NOT NULL,
  amounts           text NOT NULL CHECK (amounts IN ('any', 'fixed')),
  variant_amounts   jsonb NOT NULL DEFAULT '{}',
  valid_months      integer CHECK (valid_months BETWEEN 1 AND 120),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, product_id)
);

-- Each sold card: which order line (online) or staff device (counter) sold it, and its
-- delivery. The unique key on shop + order + line makes a line issue one card however many
-- times, and however concurrently, its order is delivered.
CREATE TABLE gift_card_sales (
  shop_id          text NOT NULL,
  gift_card_id     text NOT NULL,
  channel          text NOT NULL CHECK (channel IN ('online', 'counter')),
  order_id         text,
  line_key         text,
  staff_id         text,
  amount           bigint NOT NULL CHECK (amount > 0),
  currency         char(3) NOT NULL,
  buyer_email      text,
  recipient_name   text,
  recipient_email  text,
  message          text,
  locale           text NOT NULL CHECK (locale IN ('pl', 'en')),
  send_at          timestamptz,
  -- a counter sale's code and PIN, sealed (AES-GCM) until the voucher e-mail is sent, then wiped
  sealed_secret    bytea,
  sent_at          timestamptz,
  voided_at        timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, gift_card_id),
  UNIQUE (shop_id, order_id, line_key),
  -- checked at commit: an order line claims its row first, then issues the card it names
  FOREIGN KEY (shop_id, gift_card_id) REFERENCES gift_cards (shop_id, id) ON DELETE CASCADE
    DEFERRABLE INITIALLY DEFERRED,
  CHECK ((channel = 'online') = (order_id IS NOT NULL AND line_key IS NOT NULL))
);
CREATE INDEX gift_card_sales_unsent ON gift_card_sales (send_at) WHERE sent_at IS NULL AND send_at IS NOT NULL;
