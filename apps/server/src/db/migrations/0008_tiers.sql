-- VIP tiers. The programme (levels, metric, period, grace, at-risk warning) is one JSON value
-- per shop, validated by tiers/tier-schema.ts; a level's id is its stable key.
CREATE TABLE tier_programmes (
  shop_id     text PRIMARY KEY REFERENCES shops (id) ON DELETE CASCADE,
  programme   jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text
);

-- A customer's standing. tier_id is the computed tier (reached on a qualifying event, kept
-- until review_at; grace_until is set when a review finds the customer below the retain
-- threshold). A manual tier overrides it until manual_until (NULL: until removed).
-- risk_checked_at lets the review task look at a fine customer in the warning window once a day.
CREATE TABLE customer_tiers (
  shop_id              text NOT NULL,
  customer_id          text NOT NULL,
  tier_id              text,
  reached_at           timestamptz,
  review_at            timestamptz,
  grace_until          timestamptz,
  at_risk_notified_at  timestamptz,
  risk_checked_at      timestamptz,
  manual_tier_id       text,
  manual_until         timestamptz,
  manual_reason        text,
  manual_actor         text,
  manual_at            timestamptz,
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, customer_id),
  FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id),
  CHECK ((tier_id IS NULL) = (review_at IS NULL)),
  CHECK (manual_tier_id IS NOT NULL OR manual_until IS NULL)
);
CREATE INDEX customer_tiers_review ON customer_tiers (shop_id, review_at) WHERE tier_id IS NOT NULL;
CREATE INDEX customer_tiers_manual_until ON customer_tiers (shop_id, manual_until)
  WHERE manual_until IS NOT NULL;

-- The outbox of tier changes for automation and integrators: tier.upgraded, tier.downgraded,
-- tier.at_risk, in id order. dedupe_key makes "one at-risk warning per review" hold under retries.
CREATE TABLE tier_events (
  shop_id      text NOT NULL,
  id           text NOT NULL,
  customer_id  text NOT NULL,
  type         text NOT NULL CHECK (type IN ('tier.upgraded', 'tier.downgraded', 'tier.at_risk')),
  from_tier    text,
  to_tier      text,
  reason       text NOT NULL,       -- qualified, review, grace_ended, manual, manual_ended, below_retain, grace_started
  note         text,                -- the reason a person gave for a manual assignment
  metric_value bigint,
  actor        text,
  dedupe_key   text,
  occurred_at  timestamptz NOT NULL,
  PRIMARY KEY (shop_id, id),
  FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
);
CREATE INDEX tier_events_customer ON tier_events (shop_id, customer_id, id);
CREATE UNIQUE INDEX tier_events_dedupe ON tier_events (shop_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
