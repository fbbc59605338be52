-- A write's audit entry is announced before the write runs (an intent) and turned into the
-- entry, in one transaction, once the write has answered. A write whose answer was never
-- seen (the process died, the database went away between the write and its entry) leaves its
-- intent behind: a sweep records it in the log as unconfirmed, so no write goes unrecorded.
CREATE TABLE audit_intents (
  id          bigserial PRIMARY KEY,
  shop_id     text NOT NULL,
  at          timestamptz NOT NULL,
  actor_type  text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'staff', 'system')),
  actor_id    text,
  actor_name  text,
  action      text NOT NULL,
  target_type text,
  target_id   text,
  before      jsonb
);
CREATE INDEX audit_intents_at ON audit_intents (at);

-- NULL: recorded by the write itself; 'unconfirmed': recorded from an intent whose write may
-- or may not have taken effect.
ALTER TABLE audit_log ADD COLUMN outcome text CHECK (outcome IN ('unconfirmed'));
