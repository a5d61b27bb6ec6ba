-- Per-key ordered delivery. A message may carry an ordering key; an endpoint with `ordering` set
-- ('block' or 'skip'; null: off) receives the messages of one key one at a time, in publish order.
ALTER TABLE message ADD COLUMN ordering_key VARCHAR(256);
ALTER TABLE endpoint ADD COLUMN ordering VARCHAR(8);

-- An ordered delivery carries its key and its place in the key's line. Only the head of a line is
-- due; the others wait with next_attempt_at null (no claim or due count sees them) until the
-- delivery before them ends.
ALTER TABLE delivery ADD COLUMN ordering_key VARCHAR(256);
ALTER TABLE delivery ADD COLUMN ordering_seq BIGINT;
CREATE UNIQUE INDEX delivery_ordering ON delivery (endpoint_id, ordering_key, ordering_seq)
    WHERE ordering_key IS NOT NULL;

-- A key held up under the 'block' policy: its head failed for good, and the key's later messages
-- wait until that one is resent and delivered (or the endpoint stops blocking).
CREATE TABLE ordering_block (
    endpoint_id  VARCHAR(64)  NOT NULL REFERENCES endpoint (id) ON DELETE CASCADE,
    ordering_key VARCHAR(256) NOT NULL,
    msg_id       VARCHAR(64)  NOT NULL,
    created_at   BIGINT       NOT NULL,
    PRIMARY KEY (endpoint_id, ordering_key)
);
