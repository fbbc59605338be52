-- Reads of the segments and CLV pages at 1M customers (issue 17).
--
-- A segment count whose rules test only the facts of the customers' orders counts
-- customer_rollups alone and takes off the redacted buyers (segments/evaluate-segment.ts):
-- those few customers, found without a scan of every customer.
CREATE INDEX customers_redacted ON customers (shop_id) WHERE redacted_at IS NOT NULL;
