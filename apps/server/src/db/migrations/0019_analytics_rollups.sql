-- Analytics rollups (issue 7, "Scale"): per-customer facts and a per-shop cohort table kept up to
-- date as orders change, so cohorts, RFM scores, segment counts and the CLV fit read rows per
-- customer (or per cohort month) instead of scanning every order.
--
-- Only counted orders contribute: paid, not cancelled, with a customer; amounts are net of
-- refunds; days and months are the shop's (its IANA time zone). The three tables are derived
-- data: analytics_rebuild_rollups(shop) recomputes a shop's from its orders (this migration runs
-- it for every existing shop), and statement-level triggers on orders keep them current, once per
-- statement over its transition tables (the ingestion writes a batch's orders in a few
-- statements), so every writer of orders (the event processor, imports, tests) is covered.

-- One row per customer and shop day with counted orders.
CREATE TABLE customer_order_days (
  shop_id      text NOT NULL,
  customer_id  text NOT NULL,
  day          date NOT NULL,
  orders       integer NOT NULL,
  net          bigint NOT NULL,      -- minor units, total less refunds
  prev_day     date,                 -- the customer's purchase day before this one
  PRIMARY KEY (shop_id, customer_id, day)
);
-- the CLV fit reads the days after a calibration end from here
CREATE INDEX customer_order_days_day ON customer_order_days (shop_id, day);

-- One row per customer with at least one counted order.
CREATE TABLE customer_rollups (
  shop_id        text NOT NULL,
  customer_id    text NOT NULL,
  first_day      date NOT NULL,      -- the cohort is its month
  last_day       date NOT NULL,
  orders_count   integer NOT NULL,
  purchase_days  integer NOT NULL,   -- distinct days: 1 + the repeat purchases of BG/NBD
  total_spent    bigint NOT NULL,
  first_day_net  bigint NOT NULL,    -- total_spent − first_day_net is the value of the repeats
  PRIMARY KEY (shop_id, customer_id)
);

-- Customers of a cohort (month of their first counted order) active in a month, and the net
-- revenue of their counted orders of that month.
CREATE TABLE cohort_activity (
  shop_id       text NOT NULL,
  cohort_month  date NOT NULL,       -- first day of the month
  month         date NOT NULL,
  customers     integer NOT NULL,
  revenue       bigint NOT NULL,
  PRIMARY KEY (shop_id, cohort_month, month)
);

-- The cohort_activity contributions of the given customers as their days and rollups stand now:
-- per shop, cohort month and month, the customers active and their net revenue.
CREATE FUNCTION analytics_cohort_contributions(shop_ids text[], customer_ids text[])
RETURNS TABLE (shop_id text, cohort_month date, month date, customers bigint, revenue numeric)
LANGUAGE sql STABLE AS $$
  SELECT d.shop_id, date_trunc('month', r.first_day::timestamp)::date,
         date_trunc('month', d.day::timestamp)::date, count(DISTINCT d.customer_id), sum(d.net)
  FROM unnest(shop_ids, customer_ids) AS t(shop_id, customer_id)
  JOIN customer_rollups r ON r.shop_id = t.shop_id AND r.customer_id = t.customer_id
  JOIN customer_order_days d ON d.shop_id = t.shop_id AND d.customer_id = t.customer_id
  GROUP BY 1, 2, 3
$$;

-- Applies changes of counted orders given as (shop, customer, day, Δorders, Δnet): the days
-- change by the deltas, and the rollups and cohort contributions of the customers concerned are
-- recomputed from their days (a few rows each), so the result is the same as a rebuild.
CREATE FUNCTION analytics_apply_day_deltas(
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
END $$;

-- Counted orders as they were (sign −1) and as they are (sign +1), turned into day deltas; rows
-- whose contribution did not change (an e-mail erased, a fulfilment) cancel out here and cost
-- nothing more.
CREATE FUNCTION analytics_apply_order_changes(
  shop_ids text[], customer_ids text[], placed_ats timestamptz[], signs integer[], nets bigint[]
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  d_shops text[];
  d_customers text[];
  d_days date[];
  d_orders integer[];
  d_nets bigint[];
BEGIN
  IF shop_ids IS NULL THEN RETURN; END IF;
  SELECT array_agg(shop_id), array_agg(customer_id), array_agg(day), array_agg(orders), array_agg(net)
    INTO d_shops, d_customers, d_days, d_orders, d_nets
  FROM (
    SELECT c.shop_id, c.customer_id, (c.placed_at AT TIME ZONE s.timezone)::date AS day,
           sum(c.sign)::int AS orders, sum(c.sign * c.net)::bigint AS net
    FROM unnest(shop_ids, customer_ids, placed_ats, signs, nets)
      AS c(shop_id, customer_id, placed_at, sign, net)
    JOIN shops s ON s.id = c.shop_id
    GROUP BY 1, 2, 3
    HAVING sum(c.sign) <> 0 OR sum(c.sign * c.net) <> 0
  ) deltas;
  IF d_shops IS NOT NULL THEN
    PERFORM analytics_apply_day_deltas(d_shops, d_customers, d_days, d_orders, d_nets);
  END IF;
END $$;

-- The triggers, once per statement with its transition tables.
CREATE FUNCTION analytics_orders_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM analytics_apply_order_changes(array_agg(shop_id), array_agg(customer_id),
    array_agg(placed_at), array_agg(1), array_agg(total - refunded_amount))
  FROM analytics_new_orders
  WHERE customer_id IS NOT NULL AND paid_at IS NOT NULL AND cancelled_at IS NULL;
  RETURN NULL;
END $$;

CREATE FUNCTION analytics_orders_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM analytics_apply_order_changes(array_agg(shop_id), array_agg(customer_id),
    array_agg(placed_at), array_agg(sign), array_agg(net))
  FROM (
    SELECT shop_id, customer_id, placed_at, 1 AS sign, total - refunded_amount AS net
    FROM analytics_new_orders
    WHERE customer_id IS NOT NULL AND paid_at IS NOT NULL AND cancelled_at IS NULL
    UNION ALL
    SELECT shop_id, customer_id, placed_at, -1, total - refunded_amount
    FROM analytics_old_orders
    WHERE customer_id IS NOT NULL AND paid_at IS NOT NULL AND cancelled_at IS NULL
  ) changes;
  RETURN NULL;
END $$;

CREATE FUNCTION analytics_orders_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM analytics_apply_order_changes(array_agg(shop_id), array_agg(customer_id),
    array_agg(placed_at), array_agg(-1), array_agg(total - refunded_amount))
  FROM analytics_old_orders
  WHERE customer_id IS NOT NULL AND paid_at IS NOT NULL AND cancelled_at IS NULL;
  RETURN NULL;
END $$;

CREATE TRIGGER analytics_rollups_insert AFTER INSERT ON orders
  REFERENCING NEW TABLE AS analytics_new_orders
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_orders_inserted();
CREATE TRIGGER analytics_rollups_update AFTER UPDATE ON orders
  REFERENCING OLD TABLE AS analytics_old_orders NEW TABLE AS analytics_new_orders
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_orders_updated();
CREATE TRIGGER analytics_rollups_delete AFTER DELETE ON orders
  REFERENCING OLD TABLE AS analytics_old_orders
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_orders_deleted();

-- A shop's rollups recomputed from its orders, by a caller that keeps the shop's orders still
-- (the migration below holds the trigger's table lock); more memory for its sorts than a
-- request gets.
CREATE FUNCTION analytics_rebuild_rollups_unlocked(p_shop_id text) RETURNS void LANGUAGE plpgsql
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
    (shop_id, customer_id, first_day, last_day, orders_count, purchase_days, total_spent, first_day_net)
  SELECT p_shop_id, customer_id, min(day), max(day), sum(orders), count(*), sum(net),
         (array_agg(net ORDER BY day))[1]
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

-- The same under the shop's event-processor lock, so no batch of the shop runs meanwhile.
CREATE FUNCTION analytics_rebuild_rollups(p_shop_id text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('lojal-processor:' || p_shop_id, 0));
  PERFORM analytics_rebuild_rollups_unlocked(p_shop_id);
END $$;

-- Existing shops, without a lock per shop (thousands of shops would exhaust the lock table):
-- creating the triggers above already keeps every writer of orders out until this commits.
SELECT analytics_rebuild_rollups_unlocked(id) FROM shops;
