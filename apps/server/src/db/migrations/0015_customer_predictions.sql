-- Each customer's prediction under the shop's current CLV model, refreshed after every fit and
-- daily (P(alive) falls as time passes without an order). Segment rules read it as facts.
CREATE TABLE customer_predictions (
  shop_id             text NOT NULL,
  customer_id         text NOT NULL,
  probability_alive   double precision NOT NULL,
  expected_purchases  double precision NOT NULL,   -- in the next 52 weeks
  predicted_clv       bigint,                      -- minor units, next 52 weeks; NULL without Gamma-Gamma
  scored_at           timestamptz NOT NULL,
  PRIMARY KEY (shop_id, customer_id),
  FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
);
