-- Home's chart, the summary and points activity read a shop's counted orders and point entries
-- by time and sum a few columns: with those columns in the index, PostgreSQL answers from the
-- index alone (bench/dashboard: the 30-day series went from ~550 ms to ~90 ms on a shop with
-- 3,000,000 orders, whose rows lie scattered on disk).
CREATE INDEX orders_counted_figures ON orders (shop_id, placed_at)
  INCLUDE (total, refunded_amount, customer_id)
  WHERE paid_at IS NOT NULL AND cancelled_at IS NULL;

-- Covers every use of point_entries_effective (shop_id, effective_at), which it replaces.
CREATE INDEX point_entries_effective_figures ON point_entries (shop_id, effective_at)
  INCLUDE (kind, points);
DROP INDEX point_entries_effective;
