-- Deduplication of incoming webhooks: the first request with a key claims it, in one atomic
-- statement, so twenty copies sent at once are processed once. A repeat within the source's
-- window finds the claim and is a duplicate; a claim whose request failed is given back.
CREATE TABLE inbound_claim (
    source_id   VARCHAR(64)  NOT NULL REFERENCES source (id) ON DELETE CASCADE,
    dedup_key   VARCHAR(512) NOT NULL,
    request_id  VARCHAR(64)  NOT NULL,
    claimed_at  BIGINT       NOT NULL,
    PRIMARY KEY (source_id, dedup_key)
);

-- what was processed before this version keeps deduplicating (ids sort by time: MAX is the latest)
INSERT INTO inbound_claim (source_id, dedup_key, request_id, claimed_at)
SELECT source_id, dedup_key, MAX(id), MAX(received_at) FROM inbound_request
WHERE status = 'processed' AND dedup_key IS NOT NULL GROUP BY source_id, dedup_key;
