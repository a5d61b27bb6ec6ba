-- Claims also sweep the endpoints with pending deliveries in turn, each for its oldest due ones:
-- one index seek per endpoint instead of a walk through its whole backlog.
CREATE INDEX delivery_endpoint_due ON delivery (endpoint_id, next_attempt_at);
