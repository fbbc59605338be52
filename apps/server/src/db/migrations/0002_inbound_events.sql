-- The raw log of everything a shop sends us: stored before anything else happens, so an
-- accepted delivery is never lost, then processed idempotently by the event processor.
CREATE TABLE inbound_events (
  shop_id          text NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
  id               text NOT NULL,
  source           text NOT NULL CHECK (source IN ('api', 'shopify', 'woocommerce')),
  topic            text NOT NULL,
  -- the sender's delivery id (platform webhook id, or "type:id" for API events)
  delivery_id      text,
  idempotency_key  text,
  request_hash     bytea,
  verified         boolean NOT NULL,
  headers          jsonb NOT NULL DEFAULT '{}',
  body             bytea NOT NULL,
  received_at      timestamptz NOT NULL DEFAULT now(),
  occurred_at      timestamptz,
  status           text NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'processed', 'ignored', 'waiting', 'failed')),
  -- what a parked event waits for, e.g. 'order:1001' for a refund that came before its order
  waiting_for      text,
  attempts         integer NOT NULL DEFAULT 0,
  -- why the event failed or was ignored
  reason           text,
  processed_at     timestamptz,
  PRIMARY KEY (shop_id, id)
);
CREATE UNIQUE INDEX inbound_events_delivery ON inbound_events (shop_id, source, delivery_id)
  WHERE delivery_id IS NOT NULL;
CREATE UNIQUE INDEX inbound_events_idempotency ON inbound_events (shop_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
-- the processor's queue: pending events per shop, oldest first
CREATE INDEX inbound_events_pending ON inbound_events (shop_id, id) WHERE status = 'pending';
CREATE INDEX inbound_events_waiting ON inbound_events (shop_id, waiting_for)
  WHERE status = 'waiting';
CREATE INDEX inbound_events_by_status ON inbound_events (shop_id, status, id);
-- Bodies are kept uncompressed: compressing every 12 KB order on the way in costs more CPU at
-- the ingest edge than the disk it saves.
ALTER TABLE inbound_events ALTER COLUMN body SET STORAGE EXTERNAL;
