-- Customers and orders normalised from every source. external_id is the shop's own id,
-- kept as text because platform ids exceed JavaScript's exact integer range.
CREATE TABLE customers (
  shop_id                  text NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
  id                       text NOT NULL,
  external_id              text NOT NULL,
  email                    text,
  phone                    text,
  first_name               text,
  last_name                text,
  birthday                 date,
  accepts_email_marketing  boolean,
  accepts_sms_marketing    boolean,
  tags                     text[] NOT NULL DEFAULT '{}',
  -- per field, the source time of the value held: an older update never overwrites a newer one
  field_times              jsonb NOT NULL DEFAULT '{}',
  source_updated_at        timestamptz,
  redacted_at              timestamptz,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, id),
  UNIQUE (shop_id, external_id)
);
CREATE INDEX customers_email ON customers (shop_id, lower(email));

CREATE TABLE orders (
  shop_id            text NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
  id                 text NOT NULL,
  external_id        text NOT NULL,
  customer_id        text,               -- NULL for a guest order
  email              text,
  currency           char(3) NOT NULL,
  total              bigint NOT NULL,    -- minor units, what the customer paid
  subtotal           bigint,             -- lines after discounts, without shipping and tax
  shipping           bigint,
  tax                bigint,
  discount           bigint,
  discount_codes     text[] NOT NULL DEFAULT '{}',
  refunded_amount    bigint NOT NULL DEFAULT 0,
  placed_at          timestamptz NOT NULL,
  paid_at            timestamptz,
  cancelled_at       timestamptz,
  fulfilled_at       timestamptz,
  source_updated_at  timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, id),
  UNIQUE (shop_id, external_id),
  FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
);
CREATE INDEX orders_customer ON orders (shop_id, customer_id, placed_at);
CREATE INDEX orders_placed_at ON orders (shop_id, placed_at);

CREATE TABLE order_lines (
  shop_id       text NOT NULL,
  order_id      text NOT NULL,
  position      integer NOT NULL,
  external_id   text,
  product_id    text,
  variant_id    text,
  sku           text,
  title         text,
  category_ids  text[] NOT NULL DEFAULT '{}',
  quantity      integer NOT NULL,
  unit_price    bigint NOT NULL,
  PRIMARY KEY (shop_id, order_id, position),
  FOREIGN KEY (shop_id, order_id) REFERENCES orders (shop_id, id) ON DELETE CASCADE
);

CREATE TABLE refunds (
  shop_id       text NOT NULL,
  id            text NOT NULL,
  order_id      text NOT NULL,
  external_id   text NOT NULL,
  amount        bigint NOT NULL CHECK (amount >= 0),
  currency      char(3) NOT NULL,
  reason        text,
  refunded_at   timestamptz NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, id),
  UNIQUE (shop_id, order_id, external_id),
  FOREIGN KEY (shop_id, order_id) REFERENCES orders (shop_id, id)
);
