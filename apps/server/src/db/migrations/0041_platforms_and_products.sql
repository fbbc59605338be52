-- Every shop platform Lojal connects to stores its deliveries and pulled records in the raw
-- event log under its own source (connections/connector.ts lists them).
ALTER TABLE inbound_events DROP CONSTRAINT inbound_events_source_check;
ALTER TABLE inbound_events ADD CONSTRAINT inbound_events_source_check CHECK (
  source IN ('api', 'shopify', 'woocommerce', 'shoper', 'idosell', 'prestashop', 'baselinker',
             'dotykacka')
);

-- The shop's catalogue as its platform or a `product.updated` event describes it, so reviews,
-- e-mails, the widget and free-product rewards show names and pictures instead of ids.
CREATE TABLE products (
  shop_id           text NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
  external_id       text NOT NULL,
  name              text NOT NULL,
  url               text,
  image_url         text,
  price             bigint CHECK (price >= 0),
  currency          text,
  category_ids      text[] NOT NULL DEFAULT '{}',
  active            boolean NOT NULL DEFAULT true,
  -- the sender's time of this data: an older delivery never overwrites a newer one
  source_updated_at timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, external_id)
);
