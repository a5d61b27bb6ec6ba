-- Each source's log keeps only its newest rejected requests: retention trims it a small batch a
-- transaction, finding a source's rejected requests through this index alone (before, one
-- statement ranked every rejected request over a scan of the whole request log, accepted ones
-- included, while it held SQLite's one writer). Partial: accepted requests do not pay for it.
CREATE INDEX inbound_rejected ON inbound_request (source_id, id) WHERE status = 'rejected';
