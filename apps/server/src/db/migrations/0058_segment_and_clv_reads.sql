-- Reads of the segments and CLV pages at 1M customers (issue 17).
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
