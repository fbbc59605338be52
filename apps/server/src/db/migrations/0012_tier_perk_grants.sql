-- Perks a tier gives on a schedule (a monthly free-shipping coupon): one grant per customer,
-- perk and period (YYYY-MM in the shop's time zone), so a retried task never grants twice.
CREATE TABLE tier_perk_grants (
  shop_id      text NOT NULL,
  customer_id  text NOT NULL,
  perk         text NOT NULL,
  period       text NOT NULL,
  tier_id      text NOT NULL,
  coupon_id    text NOT NULL,
  granted_at   timestamptz NOT NULL,
  PRIMARY KEY (shop_id, customer_id, perk, period),
  FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id),
  FOREIGN KEY (shop_id, coupon_id) REFERENCES coupons (shop_id, id)
);
