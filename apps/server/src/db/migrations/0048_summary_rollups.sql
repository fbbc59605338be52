-- Rollups for the analytics summary and series over ANY period (issues 17 and 20): the summary
-- of a year at 1M customers / 10M orders read every order of three years (12–18 s); these
-- tables answer it from a few hundred thousand pre-aggregated rows at most, exactly.
--
-- Counted orders only (paid, not cancelled), amounts net of refunds, days in the shop's time
-- zone, as in 0019. Both tables are derived data: analytics_rebuild_rollups(shop) recomputes
-- them with the 0019 rollups, and the orders triggers keep them current in the same statement.
--
-- shop_order_days: one row per shop day with counted orders (guests included).
CREATE TABLE shop_order_days (
  shop_id          text NOT NULL,
  day              date NOT NULL,
  orders           integer NOT NULL,   -- all counted orders
  net              bigint NOT NULL,    -- their total less refunds
  customer_orders  integer NOT NULL,   -- the part with a customer (guests: orders − this)
  customer_net     bigint NOT NULL,
  PRIMARY KEY (shop_id, day)
);

-- customer_day_pairs: counts over the customers' purchase days (customer_order_days), keyed by
-- two days, so that "distinct customers in [s, e)", "new", "retained", "exactly one order in the
-- range" and "second order ever in the range" become sums over key ranges. For a customer with
-- purchase days d1 < … < dk (orders o_j, net n_j), prev_j = d_{j−1} (−infinity for j = 1),
-- next_j = d_{j+1} (+infinity for j = k):
--   kind 1 (a = d_j, b = prev_j): customers 1, singles [o_j = 1]
--          customers in [s, e) = Σ a ∈ [s, e), b < s (the first purchase day in the range);
--          new = … b = −infinity; bought in [p, s) too = … b ∈ [p, s)
--   kind 2 (a = d_j, b = d1): net n_j          revenue of customers first seen from s on
--   kind 3 (a = d_j, b = next_j): singles [o_j = 1]
--   kind 4 (a = prev_j, b = next_j), both finite: singles [o_j = 1]
--          customers with exactly one order in [s, e) = Σ over o_j = 1 rows of
--          [d_j ∈ [s,e)]·[prev_j < s]·[next_j ≥ e]
--          = k1.singles(a ∈ [s,e)) − k1.singles(a ∈ [s,e), b ≥ s) − k3(a ∈ [s,e), b < e)
--            + k4(a ≥ s, b < e)          (prev ≥ s and next < e put d_j in [s, e))
--   kind 5 (a = the day of the second counted order ever, b = d1): customers 1
--          (a = d1 when o_1 ≥ 2, else d2)   median days to second order in [s, e) from the
--          histogram of a − b over a ∈ [s, e)
--   kind 6 (a = d_j, b = d1) for the first purchase day of each month (prev_j in an earlier
--          month): customers 1      a cohort's customers active in [month start, to) for a
--          `to` inside a month = Σ a ∈ [month start, to), by the month of b
-- Rows whose sums fall to zero are deleted.
CREATE TABLE customer_day_pairs (
  shop_id    text NOT NULL,
  kind       smallint NOT NULL,
  a          date NOT NULL,
  b          date NOT NULL,
  customers  integer NOT NULL,
  singles    integer NOT NULL,
  net        bigint NOT NULL,
  PRIMARY KEY (shop_id, kind, a, b)
);

-- For the programme lift (measure-lift.ts), which compares timestamps, not days: each buyer's
-- first counted order's instant, the first counted order strictly after it (a second order
-- within 90 days of the first is "retained"), and their holdout position (holdout.ts's hash of
-- the id, as numeric, as the lift compares it).
ALTER TABLE customer_rollups
  ADD COLUMN first_at timestamptz,
  ADD COLUMN later_at timestamptz,
  ADD COLUMN holdout_position numeric;
-- the customers acquired in a range
CREATE INDEX customer_rollups_first_day ON customer_rollups (shop_id, first_day);

-- first_at, later_at and holdout_position of the given customers from their counted orders (two
-- probes of the (shop_id, customer_id, placed_at) index each).
CREATE FUNCTION analytics_refresh_first_orders(shop_ids text[], customer_ids text[])
RETURNS void LANGUAGE sql AS $$
  UPDATE customer_rollups r
  SET first_at = f.first_at, later_at = f.later_at,
      holdout_position = ('x' || substr(encode(sha256(convert_to(r.customer_id, 'UTF8')), 'hex'), 1, 8))::bit(32)::bigint
                         / 4294967296.0 * 100
  FROM (SELECT DISTINCT s, c FROM unnest(shop_ids, customer_ids) AS t(s, c)) t
  CROSS JOIN LATERAL (
    SELECT first.first_at,
           (SELECT min(o.placed_at) FROM orders o
            WHERE o.shop_id = t.s AND o.customer_id = t.c AND o.paid_at IS NOT NULL
              AND o.cancelled_at IS NULL AND o.placed_at > first.first_at) AS later_at
    FROM (SELECT min(o.placed_at) AS first_at FROM orders o
          WHERE o.shop_id = t.s AND o.customer_id = t.c AND o.paid_at IS NOT NULL
            AND o.cancelled_at IS NULL) first
  ) f
  WHERE r.shop_id = t.s AND r.customer_id = t.c
$$;

-- The customer_day_pairs contributions of the given customers as their days stand now.
CREATE FUNCTION analytics_pair_contributions(shop_ids text[], customer_ids text[])
RETURNS TABLE (shop_id text, kind smallint, a date, b date, customers bigint, singles bigint,
               net numeric)
LANGUAGE sql STABLE AS $$
  WITH days AS (
    SELECT d.shop_id, d.day, d.orders, d.net,
           coalesce(lag(d.day) OVER w, '-infinity') AS prev,
           coalesce(lead(d.day) OVER w, 'infinity') AS next,
           first_value(d.day) OVER w AS first_day,
           first_value(d.orders) OVER w AS first_orders,
           row_number() OVER w AS n
    FROM unnest(shop_ids, customer_ids) AS t(shop_id, customer_id)
    JOIN customer_order_days d ON d.shop_id = t.shop_id AND d.customer_id = t.customer_id
    WINDOW w AS (PARTITION BY d.shop_id, d.customer_id ORDER BY d.day)
  )
  SELECT shop_id, kind, a, b, sum(customers), sum(singles), sum(net)
  FROM (
    SELECT shop_id, 1::smallint AS kind, day AS a, prev AS b, 1 AS customers,
           (orders = 1)::int AS singles, 0::bigint AS net FROM days
    UNION ALL
    SELECT shop_id, 2::smallint, day, first_day, 0, 0, net FROM days
    UNION ALL
    SELECT shop_id, 3::smallint, day, next, 0, 1, 0 FROM days WHERE orders = 1
    UNION ALL
    SELECT shop_id, 4::smallint, prev, next, 0, 1, 0 FROM days
    WHERE orders = 1 AND prev > '-infinity' AND next < 'infinity'
    UNION ALL
    SELECT shop_id, 5::smallint, CASE WHEN first_orders >= 2 THEN day ELSE next END, day, 1, 0, 0
    FROM days WHERE n = 1 AND (first_orders >= 2 OR next < 'infinity')
    UNION ALL
    SELECT shop_id, 6::smallint, day, first_day, 1, 0, 0 FROM days
    WHERE prev = '-infinity' OR date_trunc('month', prev) < date_trunc('month', day)
  ) items
  GROUP BY 1, 2, 3, 4
$$;

-- 0019's function with the pairs kept beside the cohort contributions (after minus before).
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
    (shop_id, customer_id, first_day, last_day, orders_count, purchase_days, total_spent, first_day_net)
  SELECT d.shop_id, d.customer_id, min(d.day), max(d.day), sum(d.orders), count(*), sum(d.net),
         (array_agg(d.net ORDER BY d.day))[1]
  FROM unnest(affected_shops, affected_customers) AS t(s, c)
  JOIN customer_order_days d ON d.shop_id = t.s AND d.customer_id = t.c
  GROUP BY 1, 2
  ORDER BY 1, 2
  ON CONFLICT (shop_id, customer_id) DO UPDATE SET
    first_day = excluded.first_day, last_day = excluded.last_day,
    orders_count = excluded.orders_count, purchase_days = excluded.purchase_days,
    total_spent = excluded.total_spent, first_day_net = excluded.first_day_net;
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

-- 0019's function, now given every counted order (guests too): the shop days take all of them,
-- the customers' days those with a customer. The shops' writer lock is taken first, so guest-only
-- statements queue with the rest and the shop day rows are always written under it.
CREATE OR REPLACE FUNCTION analytics_apply_order_changes(
  shop_ids text[], customer_ids text[], placed_ats timestamptz[], signs integer[], nets bigint[]
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  d_shops text[];
  d_customers text[];
  d_days date[];
  d_orders integer[];
  d_nets bigint[];
  t_shops text[];
  t_customers text[];
BEGIN
  IF shop_ids IS NULL THEN RETURN; END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('lojal-processor:' || s, 0))
  FROM (SELECT DISTINCT unnest(shop_ids) AS s ORDER BY 1) x;

  INSERT INTO shop_order_days AS sd (shop_id, day, orders, net, customer_orders, customer_net)
  SELECT c.shop_id, (c.placed_at AT TIME ZONE s.timezone)::date,
         sum(c.sign), sum(c.sign * c.net),
         coalesce(sum(c.sign) FILTER (WHERE c.customer_id IS NOT NULL), 0),
         coalesce(sum(c.sign * c.net) FILTER (WHERE c.customer_id IS NOT NULL), 0)
  FROM unnest(shop_ids, customer_ids, placed_ats, signs, nets)
    AS c(shop_id, customer_id, placed_at, sign, net)
  JOIN shops s ON s.id = c.shop_id
  GROUP BY 1, 2
  HAVING sum(c.sign) <> 0 OR sum(c.sign * c.net) <> 0
    OR sum(c.sign) FILTER (WHERE c.customer_id IS NOT NULL) <> 0
    OR sum(c.sign * c.net) FILTER (WHERE c.customer_id IS NOT NULL) <> 0
  ORDER BY 1, 2
  ON CONFLICT (shop_id, day) DO UPDATE
    SET orders = sd.orders + excluded.orders, net = sd.net + excluded.net,
        customer_orders = sd.customer_orders + excluded.customer_orders,
        customer_net = sd.customer_net + excluded.customer_net;
  DELETE FROM shop_order_days sd
  USING (SELECT DISTINCT unnest(shop_ids) AS s) t
  WHERE sd.shop_id = t.s AND sd.orders = 0 AND sd.net = 0;

  SELECT array_agg(shop_id), array_agg(customer_id), array_agg(day), array_agg(orders), array_agg(net)
    INTO d_shops, d_customers, d_days, d_orders, d_nets
  FROM (
    SELECT c.shop_id, c.customer_id, (c.placed_at AT TIME ZONE s.timezone)::date AS day,
           sum(c.sign)::int AS orders, sum(c.sign * c.net)::bigint AS net
    FROM unnest(shop_ids, customer_ids, placed_ats, signs, nets)
      AS c(shop_id, customer_id, placed_at, sign, net)
    JOIN shops s ON s.id = c.shop_id
    WHERE c.customer_id IS NOT NULL
    GROUP BY 1, 2, 3
    HAVING sum(c.sign) <> 0 OR sum(c.sign * c.net) <> 0
  ) deltas;
  IF d_shops IS NOT NULL THEN
    PERFORM analytics_apply_day_deltas(d_shops, d_customers, d_days, d_orders, d_nets);
  END IF;

  -- customers whose counted orders' instants changed (an order moved within a day too, which
  -- leaves the days as they were): their first_at / later_at
  SELECT array_agg(shop_id), array_agg(customer_id) INTO t_shops, t_customers
  FROM (
    SELECT DISTINCT c.shop_id, c.customer_id
    FROM unnest(shop_ids, customer_ids, placed_ats, signs) AS c(shop_id, customer_id, placed_at, sign)
    WHERE c.customer_id IS NOT NULL
    GROUP BY c.shop_id, c.customer_id, c.placed_at
    HAVING sum(c.sign) <> 0
  ) x;
  IF t_shops IS NOT NULL THEN
    PERFORM analytics_refresh_first_orders(t_shops, t_customers);
  END IF;
END $$;

-- The triggers' functions, guests now included (the functions above sort them out).
CREATE OR REPLACE FUNCTION analytics_orders_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM analytics_apply_order_changes(array_agg(shop_id), array_agg(customer_id),
    array_agg(placed_at), array_agg(1), array_agg(total - refunded_amount))
  FROM analytics_new_orders
  WHERE paid_at IS NOT NULL AND cancelled_at IS NULL;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION analytics_orders_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM analytics_apply_order_changes(array_agg(shop_id), array_agg(customer_id),
    array_agg(placed_at), array_agg(sign), array_agg(net))
  FROM (
    SELECT shop_id, customer_id, placed_at, 1 AS sign, total - refunded_amount AS net
    FROM analytics_new_orders
    WHERE paid_at IS NOT NULL AND cancelled_at IS NULL
    UNION ALL
    SELECT shop_id, customer_id, placed_at, -1, total - refunded_amount
    FROM analytics_old_orders
    WHERE paid_at IS NOT NULL AND cancelled_at IS NULL
  ) changes;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION analytics_orders_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM analytics_apply_order_changes(array_agg(shop_id), array_agg(customer_id),
    array_agg(placed_at), array_agg(-1), array_agg(total - refunded_amount))
  FROM analytics_old_orders
  WHERE paid_at IS NOT NULL AND cancelled_at IS NULL;
  RETURN NULL;
END $$;

-- A shop's new rollups (and customer_rollups' new columns) recomputed from its orders and its
-- customer_order_days and customer_rollups (rebuilt first).
CREATE FUNCTION analytics_rebuild_summary_rollups_unlocked(p_shop_id text) RETURNS void
LANGUAGE plpgsql SET work_mem = '256MB' AS $$
DECLARE
  tz text;
BEGIN
  SELECT timezone INTO STRICT tz FROM shops WHERE id = p_shop_id;
  DELETE FROM shop_order_days WHERE shop_id = p_shop_id;
  DELETE FROM customer_day_pairs WHERE shop_id = p_shop_id;

  INSERT INTO shop_order_days (shop_id, day, orders, net, customer_orders, customer_net)
  SELECT p_shop_id, (placed_at AT TIME ZONE tz)::date, count(*), sum(total - refunded_amount),
         count(customer_id), coalesce(sum(total - refunded_amount) FILTER (WHERE customer_id IS NOT NULL), 0)
  FROM orders
  WHERE shop_id = p_shop_id AND paid_at IS NOT NULL AND cancelled_at IS NULL
  GROUP BY 2;

  UPDATE customer_rollups r
  SET first_at = f.first_at, later_at = f.later_at,
      holdout_position = ('x' || substr(encode(sha256(convert_to(r.customer_id, 'UTF8')), 'hex'), 1, 8))::bit(32)::bigint
                         / 4294967296.0 * 100
  FROM (
    SELECT o.customer_id, f.first_at, min(o.placed_at) FILTER (WHERE o.placed_at > f.first_at) AS later_at
    FROM (SELECT customer_id, min(placed_at) AS first_at FROM orders
          WHERE shop_id = p_shop_id AND customer_id IS NOT NULL
            AND paid_at IS NOT NULL AND cancelled_at IS NULL
          GROUP BY 1) f
    JOIN orders o ON o.shop_id = p_shop_id AND o.customer_id = f.customer_id
      AND o.paid_at IS NOT NULL AND o.cancelled_at IS NULL
    GROUP BY 1, 2
  ) f
  WHERE r.shop_id = p_shop_id AND r.customer_id = f.customer_id;

  -- the same items as analytics_pair_contributions, over all the shop's customers at once
  INSERT INTO customer_day_pairs (shop_id, kind, a, b, customers, singles, net)
  WITH days AS (
    SELECT d.day, d.orders, d.net,
           coalesce(lag(d.day) OVER w, '-infinity') AS prev,
           coalesce(lead(d.day) OVER w, 'infinity') AS next,
           first_value(d.day) OVER w AS first_day,
           first_value(d.orders) OVER w AS first_orders,
           row_number() OVER w AS n
    FROM customer_order_days d
    WHERE d.shop_id = p_shop_id
    WINDOW w AS (PARTITION BY d.customer_id ORDER BY d.day)
  )
  SELECT p_shop_id, kind, a, b, sum(customers), sum(singles), sum(net)
  FROM (
    SELECT 1::smallint AS kind, day AS a, prev AS b, 1 AS customers,
           (orders = 1)::int AS singles, 0::bigint AS net FROM days
    UNION ALL
    SELECT 2::smallint, day, first_day, 0, 0, net FROM days
    UNION ALL
    SELECT 3::smallint, day, next, 0, 1, 0 FROM days WHERE orders = 1
    UNION ALL
    SELECT 4::smallint, prev, next, 0, 1, 0 FROM days
    WHERE orders = 1 AND prev > '-infinity' AND next < 'infinity'
    UNION ALL
    SELECT 5::smallint, CASE WHEN first_orders >= 2 THEN day ELSE next END, day, 1, 0, 0
    FROM days WHERE n = 1 AND (first_orders >= 2 OR next < 'infinity')
    UNION ALL
    SELECT 6::smallint, day, first_day, 1, 0, 0 FROM days
    WHERE prev = '-infinity' OR date_trunc('month', prev) < date_trunc('month', day)
  ) items
  GROUP BY 2, 3, 4
  HAVING sum(customers) <> 0 OR sum(singles) <> 0 OR sum(net) <> 0;
END $$;

-- 0019's rebuild, now with the new rollups.
CREATE OR REPLACE FUNCTION analytics_rebuild_rollups(p_shop_id text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('lojal-processor:' || p_shop_id, 0));
  PERFORM analytics_rebuild_rollups_unlocked(p_shop_id);
  PERFORM analytics_rebuild_summary_rollups_unlocked(p_shop_id);
END $$;

-- Existing shops (the orders table's lock keeps writers out until this commits, as in 0019).
LOCK TABLE orders IN SHARE ROW EXCLUSIVE MODE;
SELECT analytics_rebuild_summary_rollups_unlocked(id) FROM shops;
