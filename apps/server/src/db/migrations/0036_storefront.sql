-- The storefront (issue 15). A shop's backend signs customer tokens (JWT HS256) with its
-- storefront secret; a rotated-out secret keeps verifying for one hour (retires_at), as webhook
-- secrets do. (The tokens Lojal itself hands out after a customer signs in to the customer portal
-- are signed with a key derived from the instance key per shop: nothing to store.)
CREATE TABLE storefront_secrets (
  shop_id      text NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
  id           text NOT NULL,
  secret_box   bytea NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  retires_at   timestamptz,
  PRIMARY KEY (shop_id, id)
);

-- The origins (scheme://host[:port]) whose pages may call the storefront API from a browser,
-- besides the storefront URL's own; and where a guest signs up for the programme.
ALTER TABLE shops
  ADD COLUMN storefront_origins  text[] NOT NULL DEFAULT '{}'
    CHECK (cardinality(storefront_origins) <= 20),
  ADD COLUMN storefront_join_url text;
