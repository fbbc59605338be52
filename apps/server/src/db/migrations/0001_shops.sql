-- Shops and their credentials. The shops table's own key is the shop id; every other table
-- leads its keys with shop_id.
CREATE TABLE shops (
  id                 text PRIMARY KEY,
  name               text NOT NULL,
  currency           char(3) NOT NULL,
  timezone           text NOT NULL,
  locale             text NOT NULL,
  return_window_days integer NOT NULL DEFAULT 14 CHECK (return_window_days >= 0),
  is_demo            boolean NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);

-- API keys are stored as SHA-256 of the token; the plain token is shown once.
CREATE TABLE api_keys (
  shop_id      text NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
  id           text NOT NULL,
  token_hash   bytea NOT NULL,
  token_hint   text NOT NULL,
  label        text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz,
  PRIMARY KEY (shop_id, id)
);
CREATE UNIQUE INDEX api_keys_token_hash ON api_keys (token_hash);

-- Webhook secrets are needed in plain form to check HMACs, so they are encrypted (AES-GCM).
-- A rotated-out secret keeps working until retires_at.
CREATE TABLE webhook_secrets (
  shop_id      text NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
  id           text NOT NULL,
  secret_box   bytea NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  retires_at   timestamptz,
  PRIMARY KEY (shop_id, id)
);

-- Stripe-style Idempotency-Key records for POST routes. scope is the shop id, or '*' for the
-- instance operator. The saved response is encrypted since it may hold a secret shown once.
CREATE TABLE idempotency_keys (
  shop_id       text NOT NULL,
  key           text NOT NULL,
  method        text NOT NULL,
  path          text NOT NULL,
  request_hash  bytea NOT NULL,
  status_code   integer,
  response_box  bytea,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
