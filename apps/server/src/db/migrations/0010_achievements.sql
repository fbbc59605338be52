-- Achievements (badges): a condition over customer facts, awarded once per customer, optionally
-- with points (posted through the ledger, keyed by achievement and customer).
CREATE TABLE achievements (
  shop_id      text NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
  id           text NOT NULL,
  name         jsonb NOT NULL,          -- {"pl": "...", "en": "..."}
  description  jsonb,
  condition    jsonb NOT NULL,          -- {kind, ...args}: see achievements/achievement-conditions.ts
  points       bigint NOT NULL DEFAULT 0 CHECK (points >= 0),
  active       boolean NOT NULL DEFAULT true,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, id)
);

CREATE TABLE customer_achievements (
  shop_id         text NOT NULL,
  achievement_id  text NOT NULL,
  customer_id     text NOT NULL,
  awarded_at      timestamptz NOT NULL,
  PRIMARY KEY (shop_id, achievement_id, customer_id),
  FOREIGN KEY (shop_id, achievement_id) REFERENCES achievements (shop_id, id),
  FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
);
CREATE INDEX customer_achievements_customer ON customer_achievements (shop_id, customer_id);
