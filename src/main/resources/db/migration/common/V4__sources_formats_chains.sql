-- Incoming webhooks: sources that verify and act on what other systems send, and the log of
-- what they received. Endpoints gain an outgoing format; pipelines can be chained on job ends;
-- a job can start from a URL to fetch instead of a stored file.

CREATE TABLE source (
    id           VARCHAR(64)  PRIMARY KEY,
    app_id       VARCHAR(64)  NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    uid          VARCHAR(256),
    name         TEXT         NOT NULL,
    verification TEXT         NOT NULL, -- JSON: {"type": "github", "secret": ...}
    action       TEXT         NOT NULL, -- JSON: {"type": "emit", "eventType": ...}
    dedup        TEXT,                  -- JSON: {"header": ...} or {"jsonPointer": ...}, with "window"
    created_at   BIGINT       NOT NULL,
    updated_at   BIGINT       NOT NULL,
    UNIQUE (app_id, uid)
);
CREATE INDEX source_app ON source (app_id, id);

-- One row per request that reached a source, verified or not.
CREATE TABLE inbound_request (
    id           VARCHAR(64)  PRIMARY KEY,
    source_id    VARCHAR(64)  NOT NULL REFERENCES source (id) ON DELETE CASCADE,
    app_id       VARCHAR(64)  NOT NULL,
    headers      TEXT         NOT NULL, -- JSON object
    body         TEXT,                  -- UTF-8 text, or base64 when body_base64 = 1; null when kept as a file
    body_base64  INTEGER      NOT NULL DEFAULT 0,
    body_file    VARCHAR(64),           -- the stored file a CSV body became
    size         BIGINT       NOT NULL,
    verified     INTEGER      NOT NULL,
    status       VARCHAR(16)  NOT NULL, -- received, processed, duplicate, rejected, failed
    detail       TEXT,                  -- why rejected or failed
    dedup_key    VARCHAR(512),
    outcome      TEXT,                  -- JSON: what it triggered (messageId, jobIds)
    replay_of    VARCHAR(64),
    received_at  BIGINT       NOT NULL
);
CREATE INDEX inbound_source ON inbound_request (source_id, id);
CREATE INDEX inbound_dedup ON inbound_request (source_id, dedup_key);

ALTER TABLE endpoint ADD COLUMN format TEXT; -- JSON: {"type": "xml" | "slack" | "template", ...}; null is raw JSON

ALTER TABLE pipeline ADD COLUMN trigger_event VARCHAR(64);     -- file.uploaded or job.completed
ALTER TABLE pipeline ADD COLUMN trigger_pipeline VARCHAR(64);  -- job.completed of this pipeline only

-- file_id becomes optional: a job may start from a URL that it fetches first.
CREATE TABLE job_v4 (
    id            VARCHAR(64)  PRIMARY KEY,
    app_id        VARCHAR(64)  NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    pipeline_id   VARCHAR(64)  NOT NULL,
    file_id       VARCHAR(64),
    input_url     TEXT,
    definition    TEXT         NOT NULL,
    status        VARCHAR(16)  NOT NULL,
    rows_read     BIGINT       NOT NULL DEFAULT 0,
    rows_written  BIGINT       NOT NULL DEFAULT 0,
    rows_skipped  BIGINT       NOT NULL DEFAULT 0,
    rows_rejected BIGINT       NOT NULL DEFAULT 0,
    output_files  TEXT         NOT NULL DEFAULT '[]',
    rejects_file  VARCHAR(64),
    error         TEXT,
    error_line    BIGINT,
    runs          INTEGER      NOT NULL DEFAULT 0,
    cancel        INTEGER      NOT NULL DEFAULT 0,
    announced     INTEGER      NOT NULL DEFAULT 0,
    lease_owner   VARCHAR(64),
    lease_until   BIGINT,
    created_at    BIGINT       NOT NULL,
    started_at    BIGINT,
    finished_at   BIGINT,
    updated_at    BIGINT       NOT NULL
);
INSERT INTO job_v4 (id, app_id, pipeline_id, file_id, input_url, definition, status, rows_read, rows_written,
                    rows_skipped, rows_rejected, output_files, rejects_file, error, error_line, runs, cancel,
                    announced, lease_owner, lease_until, created_at, started_at, finished_at, updated_at)
    SELECT id, app_id, pipeline_id, file_id, NULL, definition, status, rows_read, rows_written, rows_skipped,
           rows_rejected, output_files, rejects_file, error, error_line, runs, cancel, announced, lease_owner,
           lease_until, created_at, started_at, finished_at, updated_at FROM job;
DROP TABLE job;
ALTER TABLE job_v4 RENAME TO job;
CREATE INDEX job_app ON job (app_id, id);
CREATE INDEX job_file ON job (file_id);
CREATE INDEX job_work ON job (status, lease_until);
