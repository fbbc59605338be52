-- A customer's own coupons (storefront `me`, the customer 360, coupons/customer-coupons.ts) were
-- found by walking the shop's coupons: a shop with 100,000 generated codes cost every `me`
-- 17.6 ms (EXPLAIN ANALYZE, a sequential scan keeping 1 row of 100,001). Codes nobody owns
-- (bulk campaign codes, imports) are left out of the index, so generating them costs nothing
-- more.
CREATE INDEX coupons_customer ON coupons (shop_id, customer_id, id) WHERE customer_id IS NOT NULL;
