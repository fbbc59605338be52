-- Home's chart counts a shop's messages by the time they were queued (analytics/build-series.ts).
CREATE INDEX messages_created ON messages (shop_id, created_at);
