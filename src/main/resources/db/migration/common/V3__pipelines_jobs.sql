-- Saved pipelines, and jobs that run one over a file. A job is claimed with a lease like a
-- delivery: a node that dies mid-job stops renewing it, and another node runs it again.

-- Files a job wrote carry its id and their format; uploads are 'csv' with no job.
ALTER TABLE csv_file ADD COLUMN format VARCHAR(16) NOT NULL DEFAULT 'csv';
ALTER TABLE csv_file ADD COLUMN job_id VARCHAR(64);
ALTER TABLE csv_file ADD COLUMN role VARCHAR(16) NOT NULL DEFAULT 'upload'; -- upload, output or rejects

CREATE TABLE pipeline (
    id           VARCHAR(64)  PRIMARY KEY,
    app_id       VARCHAR(64)  NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    uid          VARCHAR(256),
    name         TEXT         NOT NULL,
    definition   TEXT         NOT NULL, -- {"steps": [...], "output": {...}}
    trigger_glob TEXT,                  -- runs on file.uploaded whose name matches
    created_at   BIGINT       NOT NULL,
    updated_at   BIGINT       NOT NULL,
    UNIQUE (app_id, uid)
);
CREATE INDEX pipeline_app ON pipeline (app_id, id);

CREATE TABLE job (
    id            VARCHAR(64)  PRIMARY KEY,
    app_id        VARCHAR(64)  NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    pipeline_id   VARCHAR(64)  NOT NULL,
    file_id       VARCHAR(64)  NOT NULL,
    definition    TEXT         NOT NULL, -- the pipeline as it was when the job was created
    status        VARCHAR(16)  NOT NULL, -- queued, running, completed, failed, cancelled
    rows_read     BIGINT       NOT NULL DEFAULT 0,
    rows_written  BIGINT       NOT NULL DEFAULT 0,
    rows_skipped  BIGINT       NOT NULL DEFAULT 0,
    rows_rejected BIGINT       NOT NULL DEFAULT 0,
    output_files  TEXT         NOT NULL DEFAULT '[]',
    rejects_file  VARCHAR(64),
    error         TEXT,
    error_line    BIGINT,
    runs          INTEGER      NOT NULL DEFAULT 0,
    cancel        INTEGER      NOT NULL DEFAULT 0, -- cancellation asked for while running
    announced     INTEGER      NOT NULL DEFAULT 0, -- the final event is published (an outbox flag)
    lease_owner   VARCHAR(64),
    lease_until   BIGINT,
    created_at    BIGINT       NOT NULL,
    started_at    BIGINT,
    finished_at   BIGINT,
    updated_at    BIGINT       NOT NULL
);
CREATE INDEX job_app ON job (app_id, id);
CREATE INDEX job_file ON job (file_id);
CREATE INDEX job_work ON job (status, lease_until);
