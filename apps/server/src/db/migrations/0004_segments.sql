-- Segments a merchant defines: rules over customer facts, stored as data ({all|any: [...]}),
-- evaluated live. Built-in segments are code (segments/built-in-segments.ts), not rows.
CREATE TABLE segments (
  shop_id      text NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
  id           text NOT NULL,
  name         text NOT NULL,
  description  text,
  rules        jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, id)
);
