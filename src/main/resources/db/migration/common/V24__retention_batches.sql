-- Retention removes these rows by age a small batch a transaction, so that the one writer is
-- never held for long: each needs an index on the age it is removed by (without one, every batch
-- scanned the whole table, and a single DELETE of an hour's idempotency keys held SQLite's writer
-- for seconds).
CREATE INDEX idempotency_created ON idempotency (created_at);
CREATE INDEX inbound_claim_claimed ON inbound_claim (claimed_at);
CREATE INDEX inbound_request_received ON inbound_request (received_at);
