-- Staff notes on a customer, and tasks ("call this customer back"), created by hand or, later,
-- by a flow. Part of the customer 360.
CREATE TABLE customer_notes (
  shop_id      text NOT NULL,
  id           text NOT NULL,
  customer_id  text NOT NULL,
  body         text NOT NULL,
  author       text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, id),
  FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
);
CREATE INDEX customer_notes_customer ON customer_notes (shop_id, customer_id, id);

CREATE TABLE customer_tasks (
  shop_id      text NOT NULL,
  id           text NOT NULL,
  customer_id  text NOT NULL,
  title        text NOT NULL,
  due_at       timestamptz,
  status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
  source       text NOT NULL DEFAULT 'staff',    -- staff, or the flow that created it
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  closed_at    timestamptz,
  closed_by    text,
  PRIMARY KEY (shop_id, id),
  FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
);
CREATE INDEX customer_tasks_open ON customer_tasks (shop_id, due_at) WHERE status = 'open';
CREATE INDEX customer_tasks_customer ON customer_tasks (shop_id, customer_id, id);
