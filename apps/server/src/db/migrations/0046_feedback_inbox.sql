-- The feedback pages: a task in the inbox can be given to one team member (a user id; the
-- membership is checked when assigning), and a review can carry the shop's public reply.
ALTER TABLE customer_tasks ADD COLUMN assigned_to text;
CREATE INDEX customer_tasks_assignee ON customer_tasks (shop_id, assigned_to, status)
  WHERE assigned_to IS NOT NULL;

ALTER TABLE reviews
  ADD COLUMN reply      text CHECK (length(reply) <= 2000),
  ADD COLUMN replied_by text,
  ADD COLUMN replied_at timestamptz;
