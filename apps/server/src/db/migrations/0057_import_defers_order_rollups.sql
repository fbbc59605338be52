-- Big order imports (issue 19): the insert trigger's incremental rollup maintenance (0019, 0048,
-- 0054) costs about fifteen index probes and several writes per customer per statement, and
-- while a bulk load is under way the fresh tables' statistics make some of its probes scan the
-- shop's orders once per customer (analytics_refresh_first_orders: 55 s for 5,000 customers).
-- An import of many orders sets lojal.defer_order_rollups for its batch transactions instead,
-- and rebuilds the shop's rollups once, set-based, in the transaction that finishes it
-- (imports/run-import.ts), so the rollups again equal a rebuild from the orders.
-- The setting is transaction-local (set_config(…, true)); every other writer is unaffected.
CREATE OR REPLACE FUNCTION analytics_orders_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('lojal.defer_order_rollups', true) = 'on' THEN
    RETURN NULL;
  END IF;
  PERFORM analytics_apply_order_changes(array_agg(shop_id), array_agg(customer_id),
    array_agg(placed_at), array_agg(1), array_agg(total - refunded_amount))
  FROM analytics_new_orders
  WHERE paid_at IS NOT NULL AND cancelled_at IS NULL;
  RETURN NULL;
END $$;
