-- Every node's reading of its delivery counters, every five seconds, kept for an hour: the
-- console's overview sums them over every node of a shared database. Counters are totals since
-- the node started (a restart starts them again), the queue figures as the node read them.
CREATE TABLE node_reading (
    node          VARCHAR(64) NOT NULL,
    at            BIGINT      NOT NULL,
    delivered     BIGINT      NOT NULL,
    retried       BIGINT      NOT NULL,
    dead          BIGINT      NOT NULL,
    attempts      BIGINT      NOT NULL,
    latency_us    BIGINT      NOT NULL,
    due           BIGINT      NOT NULL,
    oldest_ms     BIGINT      NOT NULL,
    in_flight     INTEGER     NOT NULL,
    jobs_running  INTEGER     NOT NULL,
    PRIMARY KEY (node, at)
);
CREATE INDEX node_reading_at ON node_reading (at);

-- The overview lists the failing endpoints of every application: few, among many.
CREATE INDEX endpoint_failing ON endpoint (failing_since) WHERE failing_since IS NOT NULL;
