-- A shop's connection to its platform (connections/connector.ts): encrypted credentials, where
-- its pulls have reached, its history backfill, and the codes Lojal creates there.
CREATE TABLE connections (
  shop_id             text NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
  id                  text NOT NULL,
  platform            text NOT NULL CHECK (platform IN ('shopify', 'woocommerce', 'shoper',
                        'idosell', 'prestashop', 'baselinker', 'dotykacka')),
  -- not secret: the shop's address, status mappings, options
  settings            jsonb NOT NULL DEFAULT '{}',
  -- SecretBox-sealed JSON, never returned
  credentials         bytea NOT NULL,
  account_name        text,
  -- codes Lojal issues are created in the platform (false when it cannot take codes)
  push_codes          boolean NOT NULL DEFAULT false,
  paused_at           timestamptz,
  -- set when only the merchant can help (credentials revoked): nothing runs until they change
  needs_attention     text,
  -- the unguessable wake-up URL's token (POST /v1/hooks/{id}/{token}), hashed
  hook_token_hash     bytea NOT NULL,
  -- sync: changes since sync_since, page by page from sync_cursor
  sync_since          timestamptz NOT NULL,
  sync_cursor         jsonb,
  -- the newest change time the pulls have reached, for the lag
  synced_to           timestamptz,
  next_pull_at        timestamptz NOT NULL DEFAULT now(),
  pull_failures       integer NOT NULL DEFAULT 0,
  last_pull_at        timestamptz,
  last_pull_ok_at     timestamptz,
  push_failures       integer NOT NULL DEFAULT 0,
  last_push_at        timestamptz,
  last_push_ok_at     timestamptz,
  records_pulled      bigint NOT NULL DEFAULT 0,
  -- history: [backfill_from, backfill_until), earning points only if asked
  backfill_from       timestamptz,
  backfill_until      timestamptz,
  backfill_earn_points boolean NOT NULL DEFAULT false,
  backfill_cursor     jsonb,
  backfill_total      integer,
  backfill_imported   integer NOT NULL DEFAULT 0,
  backfill_done_at    timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, id)
);
CREATE UNIQUE INDEX connections_one_per_platform ON connections (shop_id, platform);
CREATE INDEX connections_due ON connections (next_pull_at) WHERE paused_at IS NULL
  AND needs_attention IS NULL;

-- The last errors of a connection, with their time (the newest 50 are kept).
CREATE TABLE connection_errors (
  shop_id       text NOT NULL,
  connection_id text NOT NULL,
  id            text NOT NULL,
  at            timestamptz NOT NULL,
  direction     text NOT NULL CHECK (direction IN ('test', 'pull', 'push')),
  kind          text NOT NULL,
  message       text NOT NULL,
  PRIMARY KEY (shop_id, connection_id, id),
  FOREIGN KEY (shop_id, connection_id) REFERENCES connections (shop_id, id) ON DELETE CASCADE
);

-- Each code Lojal issues, for each connection that takes codes: queued in the transaction that
-- issues the code, so no code path can forget it, then created there by the push job.
CREATE TABLE platform_codes (
  shop_id         text NOT NULL,
  connection_id   text NOT NULL,
  coupon_id       text NOT NULL,
  state           text NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'created', 'disabled')),
  -- the platform's id of the code or discount
  ref             text,
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, connection_id, coupon_id),
  FOREIGN KEY (shop_id, connection_id) REFERENCES connections (shop_id, id) ON DELETE CASCADE,
  FOREIGN KEY (shop_id, coupon_id) REFERENCES coupons (shop_id, id) ON DELETE CASCADE
);
CREATE INDEX platform_codes_due ON platform_codes (shop_id, connection_id, next_attempt_at)
  WHERE state = 'pending';
CREATE INDEX platform_codes_created ON platform_codes (shop_id, connection_id, coupon_id)
  WHERE state = 'created';
CREATE INDEX platform_codes_by_coupon ON platform_codes (shop_id, coupon_id);

-- Every coupon inserted, by any feature, is queued for the shop's connections that take codes,
-- and their push job is woken at once when the job queue exists (else the minute sweep finds it).
CREATE FUNCTION queue_platform_codes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  target record;
BEGIN
  FOR target IN
    WITH queued AS (
      -- due from the coupon's own time (the application's clock), not the database's
      INSERT INTO platform_codes (shop_id, connection_id, coupon_id, next_attempt_at, created_at)
      SELECT n.shop_id, c.id, n.id, n.created_at, n.created_at
        FROM new_coupons n
        JOIN connections c ON c.shop_id = n.shop_id AND c.push_codes
      ON CONFLICT DO NOTHING
      RETURNING shop_id, connection_id
    )
    SELECT DISTINCT shop_id, connection_id FROM queued
  LOOP
    -- Due now, replacing a run booked for later (a backoff); the connection's own queue runs its
    -- jobs one at a time, so a push already running is followed, never joined.
    IF to_regprocedure('graphile_worker.add_job(text,json,text,timestamptz,integer,text,integer,text[],text)') IS NOT NULL THEN
      PERFORM graphile_worker.add_job(
        'connection-push',
        json_build_object('shopId', target.shop_id, 'connectionId', target.connection_id),
        queue_name := 'connection:' || target.shop_id || ':' || target.connection_id,
        job_key := 'connection-push:' || target.shop_id || ':' || target.connection_id,
        job_key_mode := 'replace',
        max_attempts := 3);
    END IF;
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER coupons_to_platforms AFTER INSERT ON coupons
  REFERENCING NEW TABLE AS new_coupons
  FOR EACH STATEMENT EXECUTE FUNCTION queue_platform_codes();
