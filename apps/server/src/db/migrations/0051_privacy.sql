-- RODO per customer (issue 19): a shop's privacy settings (the salt that keeps erased addresses
-- on the suppression lists as hashes only, and the retention periods the daily task applies),
-- the record of every erasure (who asked, when, on which basis; never the erased data), the
-- answers to platforms' data requests kept for the merchant to download, and an audit log that
-- erasure may scrub (the only change it allows besides appending).

CREATE TABLE privacy_settings (
  shop_id                   text PRIMARY KEY REFERENCES shops (id),
  -- HMAC key for erased addresses kept on the suppression lists; never leaves the database.
  suppression_salt          bytea NOT NULL,
  -- Days to keep; NULL keeps for good. Inactive customers: years without an order or activity.
  raw_events_days           integer CHECK (raw_events_days BETWEEN 1 AND 3650),
  message_bodies_days       integer CHECK (message_bodies_days BETWEEN 1 AND 3650),
  visit_logs_days           integer CHECK (visit_logs_days BETWEEN 1 AND 3650),
  inactive_customer_years   integer CHECK (inactive_customer_years BETWEEN 1 AND 20),
  updated_at                timestamptz NOT NULL DEFAULT now()
);

-- One row per erasure request: the customer's Lojal id (a random key, no personal datum), who
-- asked (a user, an API key, the customer in the portal, the platform, the retention policy),
-- the basis, and when it was asked and applied.
CREATE TABLE customer_erasures (
  shop_id       text NOT NULL REFERENCES shops (id),
  id            text NOT NULL,
  customer_id   text NOT NULL,
  requested_by  text NOT NULL,
  basis         text NOT NULL,
  reason        text,
  event_id      text,
  requested_at  timestamptz NOT NULL,
  applied_at    timestamptz NOT NULL,
  PRIMARY KEY (shop_id, id)
);
CREATE INDEX customer_erasures_customer ON customer_erasures (shop_id, customer_id);

-- A platform's data request (Shopify customers/data_request) answered: the export as it was on
-- the day, for the merchant to download and hand over. Erasure deletes it.
CREATE TABLE customer_data_exports (
  shop_id       text NOT NULL REFERENCES shops (id),
  id            text NOT NULL,
  customer_id   text NOT NULL,
  source        text NOT NULL,
  request_ref   text,
  export        jsonb NOT NULL,
  created_at    timestamptz NOT NULL,
  downloaded_at timestamptz,
  PRIMARY KEY (shop_id, id)
);
CREATE INDEX customer_data_exports_customer ON customer_data_exports (shop_id, customer_id);

-- The audit log stays append-only, except that an erasure (a transaction that sets
-- lojal.erasing = 'on') may replace an entry's before and after with {"redacted": true}.
CREATE OR REPLACE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND current_setting('lojal.erasing', true) = 'on'
     AND (NEW.before IS NULL OR NEW.before = '{"redacted": true}'::jsonb)
     AND (NEW.after IS NULL OR NEW.after = '{"redacted": true}'::jsonb)
     AND (NEW.id, NEW.shop_id, NEW.at, NEW.actor_type, NEW.actor_id, NEW.actor_name, NEW.action,
          NEW.target_type, NEW.target_id, NEW.outcome)
         IS NOT DISTINCT FROM
         (OLD.id, OLD.shop_id, OLD.at, OLD.actor_type, OLD.actor_id, OLD.actor_name, OLD.action,
          OLD.target_type, OLD.target_id, OLD.outcome) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;

-- An erased customer's referral code is replaced (it is often their first name), but the old
-- code keeps its claim on the shop-less /r/{code} link: only the SHA-256 of its key and when it
-- was first made are kept, so no other shop can take the printed link over (audit H3).
CREATE TABLE retired_referral_codes (
  shop_id    text NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
  key_hash   bytea NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (shop_id, key_hash)
);
-- The shop-less link looks the claim up across shops (as it does for codes and affiliates).
CREATE INDEX retired_referral_codes_key ON retired_referral_codes (key_hash);
