-- Imports (issue 19): a merchant moving from Smile.io, LoyaltyLion, a platform's programme or a
-- spreadsheet brings customers, orders, balances, tiers, referral codes, coupons and gift cards.
-- A file is first read into import_rows (one row per record, with its line in the file and the
-- error that refused it, if any), then applied in batches of lines; each batch commits its
-- changes and the checkpoint together, so an import stopped by a crash goes on from the last
-- committed batch and applies every row exactly once.
CREATE TABLE imports (
  shop_id          text NOT NULL REFERENCES shops (id),
  id               text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('customers', 'orders', 'refunds', 'points',
                     'tiers', 'referral-codes', 'coupons', 'gift-cards')),
  format           text NOT NULL CHECK (format IN ('lojal-csv', 'lojal-json', 'smile', 'loyaltylion')),
  file_name        text,
  -- SHA-256 (hex) of the file's bytes, known once it has been read to the end
  content_hash     text,
  dry_run          boolean NOT NULL,
  status           text NOT NULL CHECK (status IN ('reading', 'ready', 'running', 'done', 'failed',
                     'duplicate')),
  idempotency_key  text,
  -- a second import of a file already imported points at the first
  duplicate_of     text,
  rows_read        bigint NOT NULL DEFAULT 0,
  rows_applied     bigint NOT NULL DEFAULT 0,
  rows_failed      bigint NOT NULL DEFAULT 0,
  -- what the import changed (or, in a dry run, would change), by what: {"customers.created": 3, ...}
  changes          jsonb NOT NULL DEFAULT '{}',
  -- every row up to this line has been applied (or refused) and committed
  checkpoint_line  bigint NOT NULL DEFAULT 0,
  batches          integer NOT NULL DEFAULT 0,
  -- the process applying it, and when it last committed a batch: a stale one may be taken over
  runner           text,
  heartbeat_at     timestamptz,
  error            text,
  actor            text NOT NULL,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  finished_at      timestamptz,
  PRIMARY KEY (shop_id, id)
);
-- The same file (same bytes, kind and format) is imported once; a dry run never counts.
CREATE UNIQUE INDEX imports_once ON imports (shop_id, kind, format, content_hash)
  WHERE NOT dry_run AND status IN ('ready', 'running', 'done');
CREATE UNIQUE INDEX imports_idempotency ON imports (shop_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX imports_unfinished ON imports (shop_id, heartbeat_at) WHERE status IN ('ready', 'running');

CREATE TABLE import_rows (
  shop_id    text NOT NULL,
  import_id  text NOT NULL,
  -- the line of the file the record starts on (the header is line 1 of a CSV)
  line       bigint NOT NULL,
  -- the record's natural key (a customer id, an order id, a code): one row per key in a file
  key        text,
  data       jsonb,
  -- why the row was refused: when reading it, or when applying it
  error      text,
  PRIMARY KEY (shop_id, import_id, line),
  FOREIGN KEY (shop_id, import_id) REFERENCES imports (shop_id, id) ON DELETE CASCADE
);

-- Imported coupon codes and consent answers say where they came from.
ALTER TABLE coupons DROP CONSTRAINT coupons_source_check;
ALTER TABLE coupons ADD CONSTRAINT coupons_source_check
  CHECK (source IN ('reward', 'campaign', 'referral', 'flow', 'import'));
ALTER TABLE consent_events
  DROP CONSTRAINT consent_events_source_check,
  ADD CONSTRAINT consent_events_source_check CHECK (source IN
    ('api', 'preferences_page', 'unsubscribe_link', 'list_unsubscribe', 'sms_stop', 'staff',
     'popup', 'storefront', 'import'));
