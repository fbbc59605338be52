-- One row per shop, daily task and local day once the task has run for that shop-day: the
-- hourly fan-out (app/shop-days.ts) skips these, so a day's task runs once per shop even
-- when the fan-out repeats or backfills ticks missed while the server was down.
CREATE TABLE periodic_task_days (
  shop_id text NOT NULL,
  task text NOT NULL,
  day date NOT NULL,
  done_at timestamptz NOT NULL,
  -- How much the run did (awards, triggers, customers scored), for operators.
  done integer NOT NULL,
  PRIMARY KEY (shop_id, task, day)
);
CREATE INDEX periodic_task_days_day ON periodic_task_days (day);
