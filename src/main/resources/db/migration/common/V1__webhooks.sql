-- CSV-X webhook engine schema. Portable SQL: it runs on SQLite and PostgreSQL.
-- Times are epoch milliseconds; JSON values are stored as text.

CREATE TABLE application (
    id            VARCHAR(64)  PRIMARY KEY,
    uid           VARCHAR(256) UNIQUE,
    name          TEXT         NOT NULL,
    throttle_rate INTEGER,
    metadata      TEXT         NOT NULL,
    created_at    BIGINT       NOT NULL,
    updated_at    BIGINT       NOT NULL
);

CREATE TABLE endpoint (
    id            VARCHAR(64)  PRIMARY KEY,
    app_id        VARCHAR(64)  NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    uid           VARCHAR(256),
    url           TEXT         NOT NULL,
    description   TEXT         NOT NULL,
    disabled      INTEGER      NOT NULL,
    event_types   TEXT,
    channels      TEXT,
    throttle_rate INTEGER,
    metadata      TEXT         NOT NULL,
    headers       TEXT         NOT NULL,
    failing_since BIGINT,
    created_at    BIGINT       NOT NULL,
    updated_at    BIGINT       NOT NULL,
    UNIQUE (app_id, uid)
);
CREATE INDEX endpoint_app ON endpoint (app_id, id);

-- The current secret has expires_at NULL; rotated-out secrets keep signing until expires_at.
CREATE TABLE endpoint_secret (
    endpoint_id VARCHAR(64) NOT NULL REFERENCES endpoint (id) ON DELETE CASCADE,
    secret      TEXT        NOT NULL,
    created_at  BIGINT      NOT NULL,
    expires_at  BIGINT
);
CREATE INDEX endpoint_secret_endpoint ON endpoint_secret (endpoint_id);

CREATE TABLE event_type (
    name         VARCHAR(256) PRIMARY KEY,
    description  TEXT         NOT NULL,
    archived     INTEGER      NOT NULL,
    deprecated   INTEGER      NOT NULL,
    feature_flag VARCHAR(256),
    schemas      TEXT,
    created_at   BIGINT       NOT NULL,
    updated_at   BIGINT       NOT NULL
);

CREATE TABLE message (
    id           VARCHAR(64)  PRIMARY KEY,
    app_id       VARCHAR(64)  NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    event_type   VARCHAR(256) NOT NULL,
    event_id     VARCHAR(256),
    channels     TEXT,
    payload      TEXT         NOT NULL,
    created_at   BIGINT       NOT NULL,
    expires_at   BIGINT       NOT NULL,
    UNIQUE (app_id, event_id)
);
CREATE INDEX message_app ON message (app_id, id);

-- One row per (message, endpoint): the durable queue. A claimed row has lease_owner set and
-- next_attempt_at moved to the end of its lease, so "due" is one range test and an expired
-- lease makes the row due again by itself.
CREATE TABLE delivery (
    msg_id          VARCHAR(64) NOT NULL REFERENCES message (id) ON DELETE CASCADE,
    endpoint_id     VARCHAR(64) NOT NULL REFERENCES endpoint (id) ON DELETE CASCADE,
    app_id          VARCHAR(64) NOT NULL,
    status          INTEGER     NOT NULL, -- 0 success, 1 pending, 2 fail (Svix MessageStatus)
    attempts        INTEGER     NOT NULL, -- attempts since the last (re)start of this delivery
    trigger_type    INTEGER     NOT NULL, -- 0 scheduled, 1 manual
    next_attempt_at BIGINT,
    lease_owner     VARCHAR(64),
    created_at      BIGINT      NOT NULL,
    updated_at      BIGINT      NOT NULL,
    PRIMARY KEY (msg_id, endpoint_id)
);
CREATE INDEX delivery_due ON delivery (next_attempt_at) WHERE status = 1;
CREATE INDEX delivery_endpoint ON delivery (endpoint_id, msg_id);

CREATE TABLE attempt (
    id            VARCHAR(64) PRIMARY KEY,
    msg_id        VARCHAR(64) NOT NULL REFERENCES message (id) ON DELETE CASCADE,
    endpoint_id   VARCHAR(64) NOT NULL,
    app_id        VARCHAR(64) NOT NULL,
    url           TEXT        NOT NULL,
    status        INTEGER     NOT NULL,
    status_code   INTEGER     NOT NULL,
    response      TEXT        NOT NULL,
    duration_ms   BIGINT      NOT NULL,
    error         TEXT,
    trigger_type  INTEGER     NOT NULL,
    created_at    BIGINT      NOT NULL
);
CREATE INDEX attempt_msg ON attempt (msg_id, id);
CREATE INDEX attempt_endpoint ON attempt (endpoint_id, id);

CREATE TABLE idempotency (
    scope_key   VARCHAR(512) PRIMARY KEY,
    status      INTEGER      NOT NULL, -- 0 while the first request is still running
    body        TEXT,
    created_at  BIGINT       NOT NULL
);

CREATE TABLE operational_event (
    id          VARCHAR(64)  PRIMARY KEY,
    type        VARCHAR(128) NOT NULL,
    app_id      VARCHAR(64),
    endpoint_id VARCHAR(64),
    data        TEXT         NOT NULL,
    created_at  BIGINT       NOT NULL
);
