-- Exports (docs/export.md, docs/audiences.md): the whole shop as a zip, or a segment as an ad
-- platform's audience file, made by a background job and kept a few days for download. The
-- file is kept in the database in chunks of about 1 MiB, so any process can serve it and none
-- holds it in memory; a sweep removes it once it expires.
CREATE TABLE exports (
  shop_id      text NOT NULL REFERENCES shops (id),
  id           text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('shop', 'audience')),
  format       text NOT NULL CHECK (format IN ('jsonl', 'csv', 'meta', 'google', 'tiktok')),
  segment_id   text,
  status       text NOT NULL DEFAULT 'queued'
               CHECK (status IN ('queued', 'running', 'done', 'failed', 'expired')),
  requested_by text,
  file_name    text NOT NULL,
  content_type text NOT NULL,
  rows         bigint,
  bytes        bigint,
  error        text,
  created_at   timestamptz NOT NULL,
  started_at   timestamptz,
  finished_at  timestamptz,
  expires_at   timestamptz NOT NULL,
  PRIMARY KEY (shop_id, id)
);
CREATE INDEX exports_expiry ON exports (expires_at) WHERE status <> 'expired';

CREATE TABLE export_chunks (
  shop_id   text NOT NULL,
  export_id text NOT NULL,
  seq       integer NOT NULL,
  data      bytea NOT NULL,
  PRIMARY KEY (shop_id, export_id, seq),
  FOREIGN KEY (shop_id, export_id) REFERENCES exports (shop_id, id) ON DELETE CASCADE
);
