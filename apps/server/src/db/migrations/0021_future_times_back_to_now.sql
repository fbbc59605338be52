-- Times that senders stamped in the future (the API took any year up to 9999 before the
-- December 2026 audit) outrank every later fact: a consent no unsubscribe could withdraw,
-- customer fields and orders no later update could change. No such time can be true, so each
-- is moved back to now. The raw events and the consent history keep what was sent.
UPDATE consents SET changed_at = now() WHERE changed_at > now();

UPDATE orders SET source_updated_at = now() WHERE source_updated_at > now();

UPDATE customers SET source_updated_at = now() WHERE source_updated_at > now();

-- field_times hold ISO texts compared as text (ingest/merge-customer-facts.ts), so the
-- replacement is written in the same form, and compared the same way.
WITH moment AS (SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS now_iso)
UPDATE customers c
SET field_times = (
  SELECT jsonb_object_agg(f.key, to_jsonb(CASE WHEN f.value > m.now_iso THEN m.now_iso ELSE f.value END))
  FROM jsonb_each_text(c.field_times) f)
FROM moment m
WHERE EXISTS (SELECT 1 FROM jsonb_each_text(c.field_times) f WHERE f.value > m.now_iso);
