-- Rollups for the two analytics answers still over a second at 1M customers / 10M orders
-- (issues 17 and 20): the programme lift (5–14 s: one probe of customer_order_days per customer
-- acquired in the range who bought again after it) and every segment count with an RFM fact
-- (~3 s: three sorts of every buyer for the quintile cut points, then a join of the scores).
-- Both stay exact; the orders triggers keep them in the same statement, as in 0019 and 0048.
--
-- customer_lift_pairs: for a customer with purchase days d1 < … < dk (net n_j, orders o_j),
-- cum_j = n_1 + … + n_j, one row per (b = d1, a = d_j), split by the holdout group:
--   customers  1 on the first day's row (a = b)
--   retained   1 on the first day's row when the next counted order came within 90 days of the
--              first (customer_rollups.later_at ≤ first_at + 90 days)
--   repeaters  1 on the day the customer's counted orders reach 2
--   net        n_j;  net_squares  cum_j² − cum_{j−1}²
-- The lift of [from, to) counts customers whose first day is in the range and their orders
-- before `to`; every such row has b ≥ from and a < to (and every row there is such a one), so
-- each group's count, Σ revenue (Σ net), Σ revenue² (the squares telescope to cum² at the last
-- day before `to`) and repeaters are sums over b ≥ from, a < to: a range of at most
-- 2 × days² / 2 rows, whatever the number of customers.
CREATE TABLE customer_lift_pairs (
  shop_id      text NOT NULL,
  b            date NOT NULL,
  a            date NOT NULL,
  holdout      boolean NOT NULL,
  customers    integer NOT NULL,
  retained     integer NOT NULL,
  repeaters    integer NOT NULL,
  net          bigint NOT NULL,
  net_squares  numeric NOT NULL,
  PRIMARY KEY (shop_id, b, a, holdout)
);

-- The holdout share the pairs are split by (customer_rollups.holdout_position < percent; no row:
-- 0, everyone a member). measure-lift.ts moves it to the live programme's share before it reads
-- (analytics_set_lift_holdout), which re-splits only the customers between the two shares.
CREATE TABLE analytics_lift_holdout (
  shop_id  text NOT NULL,
  percent  numeric NOT NULL,
  PRIMARY KEY (shop_id)
);

-- customer_rfm_values: how many buyers (customer_rollups rows) have each value of the three RFM
-- facts: fact 1 last_day (days since 1970-01-01), fact 2 orders_count, fact 3 total_spent in
-- buckets (analytics_spend_bucket: exact below 100, else its first two digits). A quintile cut
-- point (the c-th smallest value) is a running sum over these few hundred rows, plus, for the
-- spend, a short index scan inside the bucket found.
CREATE TABLE customer_rfm_values (
  shop_id    text NOT NULL,
  fact       smallint NOT NULL,
  value      bigint NOT NULL,
  customers  integer NOT NULL,
  PRIMARY KEY (shop_id, fact, value)
);
CREATE INDEX customer_rollups_total_spent ON customer_rollups (shop_id, total_spent);

-- A spend's bucket: itself below 100, else rounded down to its first two digits. Buckets are
-- ordered like the values and a bucket holds the spends from its value up to the next one's.
CREATE FUNCTION analytics_spend_bucket(v bigint) RETURNS bigint LANGUAGE sql IMMUTABLE
PARALLEL SAFE AS $$
  SELECT CASE WHEN v < 100 THEN v
              ELSE v / (10::bigint ^ (length(v::text) - 2))::bigint
                     * (10::bigint ^ (length(v::text) - 2))::bigint END
$$;

-- The customer_lift_pairs contributions of the given (distinct) customers as they stand now.
CREATE FUNCTION analytics_lift_contributions(shop_ids text[], customer_ids text[])
RETURNS TABLE (shop_id text, b date, a date, holdout boolean, customers bigint, retained bigint,
               repeaters bigint, net numeric, net_squares numeric)
LANGUAGE sql STABLE AS $$
  WITH days AS (
    SELECT d.shop_id, d.customer_id, d.day, d.orders, d.net,
           first_value(d.day) OVER w AS first_day,
           sum(d.net) OVER w AS cum,
           sum(d.orders) OVER w AS ocum,
           row_number() OVER w AS n
    FROM unnest(shop_ids, customer_ids) AS t(shop_id, customer_id)
    JOIN customer_order_days d ON d.shop_id = t.shop_id AND d.customer_id = t.customer_id
    WINDOW w AS (PARTITION BY d.shop_id, d.customer_id ORDER BY d.day)
  )
  SELECT x.shop_id, x.first_day, x.day, coalesce(r.holdout_position < h.percent, false),
         count(*) FILTER (WHERE x.n = 1),
         count(*) FILTER (WHERE x.n = 1 AND r.later_at <= r.first_at + make_interval(days => 90)),
         count(*) FILTER (WHERE x.ocum >= 2 AND x.ocum - x.orders < 2),
         sum(x.net), sum(x.cum * x.cum - (x.cum - x.net) * (x.cum - x.net))
  FROM days x
  JOIN customer_rollups r ON r.shop_id = x.shop_id AND r.customer_id = x.customer_id
  LEFT JOIN analytics_lift_holdout h ON h.shop_id = x.shop_id
  GROUP BY 1, 2, 3, 4
$$;

-- The customer_rfm_values contributions of the given (distinct) customers as they stand now.
CREATE FUNCTION analytics_rfm_contributions(shop_ids text[], customer_ids text[])
RETURNS TABLE (shop_id text, fact smallint, value bigint, customers bigint)
LANGUAGE sql STABLE AS $$
  SELECT r.shop_id, v.fact, v.value, count(*)
  FROM unnest(shop_ids, customer_ids) AS t(shop_id, customer_id)
  JOIN customer_rollups r ON r.shop_id = t.shop_id AND r.customer_id = t.customer_id
  CROSS JOIN LATERAL (VALUES (1::smallint, (r.last_day - date '1970-01-01')::bigint),
                             (2::smallint, r.orders_count::bigint),
                             (3::smallint, analytics_spend_bucket(r.total_spent))) AS v(fact, value)
  GROUP BY 1, 2, 3
$$;

-- Both tables' contributions of the given customers, as one JSON array each, to take off later.
CREATE FUNCTION analytics_lift_rfm_snapshot(shop_ids text[], customer_ids text[], OUT lift jsonb,
                                            OUT rfm jsonb)
LANGUAGE sql STABLE AS $$
  SELECT (SELECT coalesce(jsonb_agg(to_jsonb(p)), '[]')
          FROM analytics_lift_contributions(shop_ids, customer_ids) p),
         (SELECT coalesce(jsonb_agg(to_jsonb(v)), '[]')
          FROM analytics_rfm_contributions(shop_ids, customer_ids) v)
$$;

-- Adds the given customers' contributions as they stand now less the snapshot taken before the
-- change (only the rows that changed are written, in key order); rows that fall to zero go.
CREATE FUNCTION analytics_apply_lift_rfm(shop_ids text[], customer_ids text[], lift_before jsonb,
                                         rfm_before jsonb)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_lift_pairs AS lp
    (shop_id, b, a, holdout, customers, retained, repeaters, net, net_squares)
  SELECT p.shop_id, p.b, p.a, p.holdout, sum(p.customers), sum(p.retained), sum(p.repeaters),
         sum(p.net), sum(p.net_squares)
  FROM (
    SELECT * FROM analytics_lift_contributions(shop_ids, customer_ids)
    UNION ALL
    SELECT x.shop_id, x.b, x.a, x.holdout, -x.customers, -x.retained, -x.repeaters, -x.net,
           -x.net_squares
    FROM jsonb_to_recordset(lift_before)
      AS x(shop_id text, b date, a date, holdout boolean, customers bigint, retained bigint,
           repeaters bigint, net numeric, net_squares numeric)
  ) p
  GROUP BY 1, 2, 3, 4
  HAVING sum(p.customers) <> 0 OR sum(p.retained) <> 0 OR sum(p.repeaters) <> 0
    OR sum(p.net) <> 0 OR sum(p.net_squares) <> 0
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (shop_id, b, a, holdout) DO UPDATE
    SET customers = lp.customers + excluded.customers, retained = lp.retained + excluded.retained,
        repeaters = lp.repeaters + excluded.repeaters, net = lp.net + excluded.net,
        net_squares = lp.net_squares + excluded.net_squares;
  DELETE FROM customer_lift_pairs lp
  USING jsonb_to_recordset(lift_before) AS x(shop_id text, b date, a date, holdout boolean)
  WHERE lp.shop_id = x.shop_id AND lp.b = x.b AND lp.a = x.a AND lp.holdout = x.holdout
    AND lp.customers = 0 AND lp.retained = 0 AND lp.repeaters = 0 AND lp.net = 0
    AND lp.net_squares = 0;

  INSERT INTO customer_rfm_values AS rv (shop_id, fact, value, customers)
  SELECT v.shop_id, v.fact, v.value, sum(v.customers)
  FROM (
    SELECT * FROM analytics_rfm_contributions(shop_ids, customer_ids)
    UNION ALL
    SELECT x.shop_id, x.fact, x.value, -x.customers
    FROM jsonb_to_recordset(rfm_before) AS x(shop_id text, fact smallint, value bigint, customers bigint)
  ) v
  GROUP BY 1, 2, 3
  HAVING sum(v.customers) <> 0
  ORDER BY 1, 2, 3
  ON CONFLICT (shop_id, fact, value) DO UPDATE SET customers = rv.customers + excluded.customers;
  DELETE FROM customer_rfm_values rv
  USING jsonb_to_recordset(rfm_before) AS x(shop_id text, fact smallint, value bigint)
  WHERE rv.shop_id = x.shop_id AND rv.fact = x.fact AND rv.value = x.value AND rv.customers = 0;
END $$;

-- 0048's function, with the customers' lift and RFM contributions taken before the change and
-- put back after it (after first_at / later_at are refreshed, which the retained flag reads).
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
  c_shops text[];
  c_customers text[];
  before record;
BEGIN
  IF shop_ids IS NULL THEN RETURN; END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('lojal-processor:' || s, 0))
  FROM (SELECT DISTINCT unnest(shop_ids) AS s ORDER BY 1) x;

  -- every customer whose counted orders change, and their lift and RFM contributions now
  SELECT array_agg(s ORDER BY s, c), array_agg(c ORDER BY s, c) INTO c_shops, c_customers
  FROM (SELECT DISTINCT s, c FROM unnest(shop_ids, customer_ids) AS t(s, c)
        WHERE c IS NOT NULL) x;
  IF c_shops IS NOT NULL THEN
    SELECT * INTO before FROM analytics_lift_rfm_snapshot(c_shops, c_customers);
  END IF;

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

  IF c_shops IS NOT NULL THEN
    PERFORM analytics_apply_lift_rfm(c_shops, c_customers, before.lift, before.rfm);
  END IF;
END $$;

-- Splits a shop's lift pairs by a new holdout share: only the customers whose holdout position
-- lies between the old and the new share change group. Free when the share is unchanged.
CREATE FUNCTION analytics_set_lift_holdout(p_shop_id text, p_percent numeric) RETURNS void
LANGUAGE plpgsql SET work_mem = '64MB' AS $$
DECLARE
  old numeric;
  m_shops text[];
  m_customers text[];
  before record;
BEGIN
  SELECT percent INTO old FROM analytics_lift_holdout WHERE shop_id = p_shop_id;
  IF coalesce(old, 0) = p_percent THEN RETURN; END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('lojal-processor:' || p_shop_id, 0));
  SELECT percent INTO old FROM analytics_lift_holdout WHERE shop_id = p_shop_id;
  old := coalesce(old, 0);
  IF old = p_percent THEN RETURN; END IF;
  SELECT array_agg(shop_id ORDER BY customer_id), array_agg(customer_id ORDER BY customer_id)
    INTO m_shops, m_customers
  FROM customer_rollups
  WHERE shop_id = p_shop_id
    AND holdout_position >= least(old, p_percent) AND holdout_position < greatest(old, p_percent);
  IF m_shops IS NOT NULL THEN
    SELECT * INTO before FROM analytics_lift_rfm_snapshot(m_shops, m_customers);
  END IF;
  INSERT INTO analytics_lift_holdout (shop_id, percent) VALUES (p_shop_id, p_percent)
  ON CONFLICT (shop_id) DO UPDATE SET percent = excluded.percent;
  IF m_shops IS NOT NULL THEN
    PERFORM analytics_apply_lift_rfm(m_shops, m_customers, before.lift, before.rfm);
  END IF;
END $$;

-- The RFM quintile cut points of a shop's buyers, exactly those of percentile_disc over
-- customer_rollups (the c-th smallest value for c in `ranks`, 1-based): for each fact, the value
-- where the running count of customer_rfm_values reaches c; for the spend, the c'-th smallest
-- spend from the start of that bucket on (c' = c less the buyers in lower buckets).
CREATE FUNCTION analytics_rfm_cut_points(p_shop_id text, ranks bigint[],
                                         OUT r date[], OUT f bigint[], OUT m bigint[])
LANGUAGE sql STABLE AS $$
  WITH running AS (
    SELECT fact, value, sum(customers) OVER (PARTITION BY fact ORDER BY value) AS upto,
           customers
    FROM customer_rfm_values WHERE shop_id = p_shop_id
  ),
  cut AS (
    SELECT k.i, k.c, v.fact, v.value, k.c - (v.upto - v.customers) AS within
    FROM unnest(ranks) WITH ORDINALITY AS k(c, i)
    CROSS JOIN (VALUES (1::smallint), (2::smallint), (3::smallint)) AS facts(fact)
    CROSS JOIN LATERAL (
      SELECT * FROM running WHERE running.fact = facts.fact AND running.upto >= k.c
      ORDER BY running.value LIMIT 1
    ) v
  )
  SELECT (SELECT array_agg(date '1970-01-01' + value::int ORDER BY i) FROM cut WHERE fact = 1),
         (SELECT array_agg(value ORDER BY i) FROM cut WHERE fact = 2),
         (SELECT array_agg(
                   (SELECT cr.total_spent FROM customer_rollups cr
                    WHERE cr.shop_id = p_shop_id AND cr.total_spent >= cut.value
                    ORDER BY cr.total_spent OFFSET cut.within - 1 LIMIT 1) ORDER BY i)
          FROM cut WHERE fact = 3)
$$;

-- A shop's lift pairs and RFM values recomputed from its customer_order_days and
-- customer_rollups (rebuilt first), in one pass each.
CREATE FUNCTION analytics_rebuild_lift_rfm_unlocked(p_shop_id text) RETURNS void
LANGUAGE plpgsql SET work_mem = '256MB' AS $$
BEGIN
  DELETE FROM customer_lift_pairs WHERE shop_id = p_shop_id;
  DELETE FROM customer_rfm_values WHERE shop_id = p_shop_id;
  -- the same items as analytics_lift_contributions, over all the shop's customers at once
  INSERT INTO customer_lift_pairs
    (shop_id, b, a, holdout, customers, retained, repeaters, net, net_squares)
  WITH days AS (
    SELECT d.customer_id, d.day, d.orders, d.net,
           first_value(d.day) OVER w AS first_day,
           sum(d.net) OVER w AS cum,
           sum(d.orders) OVER w AS ocum,
           row_number() OVER w AS n
    FROM customer_order_days d
    WHERE d.shop_id = p_shop_id
    WINDOW w AS (PARTITION BY d.customer_id ORDER BY d.day)
  )
  SELECT p_shop_id, x.first_day, x.day,
         coalesce(r.holdout_position < (SELECT percent FROM analytics_lift_holdout
                                        WHERE shop_id = p_shop_id), false),
         count(*) FILTER (WHERE x.n = 1),
         count(*) FILTER (WHERE x.n = 1 AND r.later_at <= r.first_at + make_interval(days => 90)),
         count(*) FILTER (WHERE x.ocum >= 2 AND x.ocum - x.orders < 2),
         sum(x.net), sum(x.cum * x.cum - (x.cum - x.net) * (x.cum - x.net))
  FROM days x
  JOIN customer_rollups r ON r.shop_id = p_shop_id AND r.customer_id = x.customer_id
  GROUP BY 2, 3, 4
  HAVING count(*) FILTER (WHERE x.n = 1) <> 0
    OR count(*) FILTER (WHERE x.n = 1 AND r.later_at <= r.first_at + make_interval(days => 90)) <> 0
    OR count(*) FILTER (WHERE x.ocum >= 2 AND x.ocum - x.orders < 2) <> 0
    OR sum(x.net) <> 0 OR sum(x.cum * x.cum - (x.cum - x.net) * (x.cum - x.net)) <> 0;

  INSERT INTO customer_rfm_values (shop_id, fact, value, customers)
  SELECT p_shop_id, v.fact, v.value, count(*)
  FROM customer_rollups r
  CROSS JOIN LATERAL (VALUES (1::smallint, (r.last_day - date '1970-01-01')::bigint),
                             (2::smallint, r.orders_count::bigint),
                             (3::smallint, analytics_spend_bucket(r.total_spent))) AS v(fact, value)
  WHERE r.shop_id = p_shop_id
  GROUP BY 2, 3;
END $$;

-- 0048's rebuild, now with these rollups.
CREATE OR REPLACE FUNCTION analytics_rebuild_rollups(p_shop_id text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('lojal-processor:' || p_shop_id, 0));
  PERFORM analytics_rebuild_rollups_unlocked(p_shop_id);
  PERFORM analytics_rebuild_summary_rollups_unlocked(p_shop_id);
  PERFORM analytics_rebuild_lift_rfm_unlocked(p_shop_id);
END $$;

-- When the customers were last scored under the shop's CLV model (score-customers.ts): the fit
-- route answers after the fit and leaves the scoring (~25 s at 1M buyers) to a queued job, so
-- the CLV page says when the predictions are older than the model.
ALTER TABLE clv_models ADD COLUMN scored_at timestamptz;

-- Existing shops, split as everyone a member (the first lift moves them to the programme's
-- share); the orders table's lock keeps writers out until this commits, as in 0019.
LOCK TABLE orders IN SHARE ROW EXCLUSIVE MODE;
SELECT analytics_rebuild_lift_rfm_unlocked(id) FROM shops;
