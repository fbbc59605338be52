-- The customer portal's magic links (issue 15, item 3): a link mailed to a customer signs them in
-- once, within 15 minutes. Only the SHA-256 of the link's token is kept, so neither a copy of the
-- table nor a log line holds a link that works.
CREATE TABLE portal_sign_in_links (
  shop_id      text NOT NULL REFERENCES shops (id),
  id           text NOT NULL,
  customer_id  text NOT NULL,
  token_hash   text NOT NULL UNIQUE,
  locale       text NOT NULL CHECK (locale IN ('pl', 'en')),
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz,
  PRIMARY KEY (shop_id, id),
  FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
);
CREATE INDEX portal_sign_in_links_customer ON portal_sign_in_links (shop_id, customer_id);
