-- Finished deliveries leave the queue: `delivery` holds only pending ones (what claims and the
-- due index scan), `delivery_done` the delivered and failed ones until retention removes them.
-- `delivery_all` reads both, for the API's views of a message or an endpoint.
CREATE TABLE delivery_done (
    msg_id       VARCHAR(64) NOT NULL REFERENCES message (id) ON DELETE CASCADE,
    endpoint_id  VARCHAR(64) NOT NULL REFERENCES endpoint (id) ON DELETE CASCADE,
    app_id       VARCHAR(64) NOT NULL,
    status       INTEGER     NOT NULL, -- 0 success, 2 fail
    attempts     INTEGER     NOT NULL,
    trigger_type INTEGER     NOT NULL,
    created_at   BIGINT      NOT NULL,
    updated_at   BIGINT      NOT NULL,
    PRIMARY KEY (msg_id, endpoint_id)
);
CREATE INDEX delivery_done_endpoint ON delivery_done (endpoint_id, msg_id);
CREATE INDEX delivery_done_updated ON delivery_done (updated_at);

INSERT INTO delivery_done (msg_id, endpoint_id, app_id, status, attempts, trigger_type, created_at, updated_at)
    SELECT msg_id, endpoint_id, app_id, status, attempts, trigger_type, created_at, updated_at FROM delivery
    WHERE status <> 1;
DELETE FROM delivery WHERE status <> 1;

CREATE VIEW delivery_all AS
    SELECT msg_id, endpoint_id, app_id, status, attempts, trigger_type, next_attempt_at, lease_owner, created_at,
           updated_at FROM delivery
    UNION ALL
    SELECT msg_id, endpoint_id, app_id, status, attempts, trigger_type, CAST(NULL AS BIGINT), CAST(NULL AS VARCHAR(64)),
           created_at, updated_at FROM delivery_done;

CREATE INDEX attempt_created ON attempt (created_at);
