-- The analytics pages (issue 17): the CLV page's top lists read the best predictions first, and
-- the benefits report reads a flow's runs by when they started, without scanning every row.
CREATE INDEX customer_predictions_clv ON customer_predictions (shop_id, predicted_clv DESC NULLS LAST);
CREATE INDEX customer_predictions_alive ON customer_predictions (shop_id, probability_alive DESC);
CREATE INDEX flow_runs_started ON flow_runs (shop_id, started_at);
