-- Reads of the segments, CLV and repeat-purchase pages at 1M customers (issue 17).
--
-- A segment count whose rules test only the facts of the customers' orders counts
-- customer_rollups alone and takes off the redacted buyers (segments/evaluate-segment.ts):
-- those few customers, found without a scan of every customer.
CREATE INDEX customers_redacted ON customers (shop_id) WHERE redacted_at IS NOT NULL;

-- The CLV page's lists, a page at a time (analytics/overview-clv.ts): each index gives its list's
-- whole order, ties included, so a page is a short walk however many customers are scored.
-- Ordered by P(alive), most buyers tie (everyone without a repeat purchase has P(alive) = 1),
-- which the old index left to a sort of all of them.
DROP INDEX customer_predictions_clv;
CREATE INDEX customer_predictions_clv
  ON customer_predictions (shop_id, predicted_clv DESC NULLS LAST, customer_id);
DROP INDEX customer_predictions_alive;
CREATE INDEX customer_predictions_alive
  ON customer_predictions (shop_id, probability_alive DESC, predicted_clv DESC NULLS LAST, customer_id);

-- The repeat-purchase page (analytics/describe-repeat-purchases.ts) needs each customer's first
-- and second purchase days: the second was found by joining customer_order_days (9M rows at
-- 1M customers: 11 s and more). It is now kept in customer_rollups, where the first is, by the
-- same statement that keeps the others, and read with the first from 0048's index by first_day,
-- which now carries it (an index-only range scan).
ALTER TABLE customer_rollups ADD COLUMN second_day date;

-- 0048's function, with second_day in the rollups' upsert.
CREATE OR REPLACE FUNCTION analytics_apply_day_deltas(
  shop_ids text[], customer_ids text[], days date[], order_deltas integer[], net_deltas bigint[]
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  affected_shops text[];
  affected_customers text[];
  removals boolean;
  before_shops text[];
  before_cohorts date[];
  before_months date[];
  before_customers bigint[];
  before_revenue numeric[];
  pairs_before jsonb;
BEGIN
  SELECT array_agg(s ORDER BY s, c), array_agg(c ORDER BY s, c)
    INTO affected_shops, affected_customers
  FROM (SELECT DISTINCT s, c FROM unnest(shop_ids, customer_ids) AS t(s, c)) x;

  -- One writer per shop at a time: the event processor holds this lock already (so it costs it
  -- nothing); any other writer of orders waits here instead of racing it on the same rows.
  PERFORM pg_advisory_xact_lock(hashtextextended('lojal-processor:' || s, 0))
  FROM (SELECT DISTINCT unnest(affected_shops) AS s ORDER BY 1) x;

  -- the customers' cohort contributions before the change, to take off at the end
  SELECT array_agg(c.shop_id), array_agg(c.cohort_month), array_agg(c.month),
         array_agg(c.customers), array_agg(c.revenue)
    INTO before_shops, before_cohorts, before_months, before_customers, before_revenue
  FROM analytics_cohort_contributions(affected_shops, affected_customers) c;
  -- and their pair contributions
  SELECT coalesce(jsonb_agg(to_jsonb(p)), '[]') INTO pairs_before
  FROM analytics_pair_contributions(affected_shops, affected_customers) p;

  INSERT INTO customer_order_days AS d (shop_id, customer_id, day, orders, net)
  SELECT s, c, dy, sum(o), sum(n)
  FROM unnest(shop_ids, customer_ids, days, order_deltas, net_deltas) AS t(s, c, dy, o, n)
  GROUP BY 1, 2, 3
  ORDER BY 1, 2, 3
  ON CONFLICT (shop_id, customer_id, day) DO UPDATE
    SET orders = d.orders + excluded.orders, net = d.net + excluded.net;
  -- a day, or a buyer, can only disappear when some delta is negative
  removals := EXISTS (SELECT FROM unnest(order_deltas) AS o WHERE o < 0);
  IF removals THEN
    DELETE FROM customer_order_days d
    USING unnest(affected_shops, affected_customers) AS t(s, c)
    WHERE d.shop_id = t.s AND d.customer_id = t.c AND d.orders <= 0;
  END IF;

  UPDATE customer_order_days d SET prev_day = w.prev_day
  FROM (
    SELECT d2.shop_id, d2.customer_id, d2.day, d2.prev_day AS stored,
           lag(d2.day) OVER (PARTITION BY d2.shop_id, d2.customer_id ORDER BY d2.day) AS prev_day
    FROM unnest(affected_shops, affected_customers) AS t(s, c)
    JOIN customer_order_days d2 ON d2.shop_id = t.s AND d2.customer_id = t.c
  ) w
  WHERE w.prev_day IS DISTINCT FROM w.stored
    AND d.shop_id = w.shop_id AND d.customer_id = w.customer_id AND d.day = w.day;

  INSERT INTO customer_rollups AS r
    (shop_id, customer_id, first_day, last_day, orders_count, purchase_days, total_spent, first_day_net,
     second_day)
  SELECT d.shop_id, d.customer_id, min(d.day), max(d.day), sum(d.orders), count(*), sum(d.net),
         (array_agg(d.net ORDER BY d.day))[1], (array_agg(d.day ORDER BY d.day))[2]
  FROM unnest(affected_shops, affected_customers) AS t(s, c)
  JOIN customer_order_days d ON d.shop_id = t.s AND d.customer_id = t.c
  GROUP BY 1, 2
  ORDER BY 1, 2
  ON CONFLICT (shop_id, customer_id) DO UPDATE SET
    first_day = excluded.first_day, last_day = excluded.last_day,
    orders_count = excluded.orders_count, purchase_days = excluded.purchase_days,
    total_spent = excluded.total_spent, first_day_net = excluded.first_day_net,
    second_day = excluded.second_day;
  IF removals THEN
    DELETE FROM customer_rollups r
    USING unnest(affected_shops, affected_customers) AS t(s, c)
    WHERE r.shop_id = t.s AND r.customer_id = t.c
      AND NOT EXISTS (SELECT FROM customer_order_days d WHERE d.shop_id = t.s AND d.customer_id = t.c);
  END IF;

  -- after minus before: only the (cohort, month) rows that changed are written, in key order,
  -- so concurrent writers lock them in the same order
  INSERT INTO cohort_activity AS ca (shop_id, cohort_month, month, customers, revenue)
  SELECT c.shop_id, c.cohort_month, c.month, sum(c.customers), sum(c.revenue)
  FROM (
    SELECT * FROM analytics_cohort_contributions(affected_shops, affected_customers)
    UNION ALL
    SELECT b.s, b.cm, b.m, -b.n, -b.rv
    FROM unnest(before_shops, before_cohorts, before_months, before_customers, before_revenue)
      AS b(s, cm, m, n, rv)
  ) c
  GROUP BY 1, 2, 3
  HAVING sum(c.customers) <> 0 OR sum(c.revenue) <> 0
  ORDER BY 1, 2, 3
  ON CONFLICT (shop_id, cohort_month, month) DO UPDATE
    SET customers = ca.customers + excluded.customers, revenue = ca.revenue + excluded.revenue;

  -- the same for the pairs; rows that fall to zero go
  INSERT INTO customer_day_pairs AS cp (shop_id, kind, a, b, customers, singles, net)
  SELECT p.shop_id, p.kind, p.a, p.b, sum(p.customers), sum(p.singles), sum(p.net)
  FROM (
    SELECT * FROM analytics_pair_contributions(affected_shops, affected_customers)
    UNION ALL
    SELECT x.shop_id, x.kind, x.a, x.b, -x.customers, -x.singles, -x.net
    FROM jsonb_to_recordset(pairs_before)
      AS x(shop_id text, kind smallint, a date, b date, customers bigint, singles bigint, net numeric)
  ) p
  GROUP BY 1, 2, 3, 4
  HAVING sum(p.customers) <> 0 OR sum(p.singles) <> 0 OR sum(p.net) <> 0
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (shop_id, kind, a, b) DO UPDATE
    SET customers = cp.customers + excluded.customers, singles = cp.singles + excluded.singles,
        net = cp.net + excluded.net;
  DELETE FROM customer_day_pairs cp
  USING (SELECT DISTINCT unnest(affected_shops) AS s) t
  WHERE cp.shop_id = t.s AND cp.customers = 0 AND cp.singles = 0 AND cp.net = 0
    AND (cp.kind, cp.a, cp.b) IN (
      SELECT x.kind, x.a, x.b FROM jsonb_to_recordset(pairs_before)
        AS x(shop_id text, kind smallint, a date, b date) WHERE x.shop_id = t.s);
END $$;

-- 0019's rebuild, with second_day.
CREATE OR REPLACE FUNCTION analytics_rebuild_rollups_unlocked(p_shop_id text) RETURNS void LANGUAGE plpgsql
SET work_mem = '256MB' AS $$
DECLARE
  tz text;
BEGIN
  SELECT timezone INTO STRICT tz FROM shops WHERE id = p_shop_id;
  DELETE FROM cohort_activity WHERE shop_id = p_shop_id;
  DELETE FROM customer_rollups WHERE shop_id = p_shop_id;
  DELETE FROM customer_order_days WHERE shop_id = p_shop_id;

  INSERT INTO customer_order_days (shop_id, customer_id, day, orders, net, prev_day)
  SELECT p_shop_id, customer_id, day, orders, net,
         lag(day) OVER (PARTITION BY customer_id ORDER BY day)
  FROM (
    SELECT customer_id, (placed_at AT TIME ZONE tz)::date AS day, count(*)::int AS orders,
           sum(total - refunded_amount)::bigint AS net
    FROM orders
    WHERE shop_id = p_shop_id AND customer_id IS NOT NULL
      AND paid_at IS NOT NULL AND cancelled_at IS NULL
    GROUP BY 1, 2
  ) d;

  INSERT INTO customer_rollups
    (shop_id, customer_id, first_day, last_day, orders_count, purchase_days, total_spent, first_day_net,
     second_day)
  SELECT p_shop_id, customer_id, min(day), max(day), sum(orders), count(*), sum(net),
         (array_agg(net ORDER BY day))[1], (array_agg(day ORDER BY day))[2]
  FROM customer_order_days
  WHERE shop_id = p_shop_id
  GROUP BY customer_id;

  INSERT INTO cohort_activity (shop_id, cohort_month, month, customers, revenue)
  SELECT p_shop_id, date_trunc('month', r.first_day::timestamp)::date,
         date_trunc('month', d.day::timestamp)::date,
         count(DISTINCT d.customer_id), sum(d.net)
  FROM customer_order_days d
  JOIN customer_rollups r ON r.shop_id = d.shop_id AND r.customer_id = d.customer_id
  WHERE d.shop_id = p_shop_id
  GROUP BY 2, 3;
END $$;

-- Existing buyers: their second purchase day is the day whose previous one is their first
-- (the orders table's lock keeps writers out until this commits, as in 0019).
LOCK TABLE orders IN SHARE ROW EXCLUSIVE MODE;
UPDATE customer_rollups r SET second_day = d.day
FROM customer_order_days d
WHERE d.shop_id = r.shop_id AND d.customer_id = r.customer_id AND d.prev_day = r.first_day;
DROP INDEX customer_rollups_first_day;
CREATE INDEX customer_rollups_first_day ON customer_rollups (shop_id, first_day) INCLUDE (second_day);
