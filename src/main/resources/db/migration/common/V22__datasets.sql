-- Datasets: files that are versions of one another (matched by name, or named on upload),
-- compared by key as each version arrives. The files stay files; a version points at one.
CREATE TABLE dataset (
    id          VARCHAR(64)  PRIMARY KEY,
    app_id      VARCHAR(64)  NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    uid         VARCHAR(256),
    name        TEXT         NOT NULL,
    key_columns TEXT         NOT NULL, -- JSON array: the columns that identify a row
    match_glob  TEXT,                  -- file names that become versions; null: all (with pipeline_id) or none
    pipeline_id VARCHAR(64),           -- versions are this pipeline's CSV outputs; null: uploads and fetched files
    notify      TEXT         NOT NULL, -- JSON: when a change is significant enough to publish
    diff_format VARCHAR(16)  NOT NULL, -- csv or ndjson
    created_at  BIGINT       NOT NULL,
    updated_at  BIGINT       NOT NULL,
    UNIQUE (app_id, uid)
);
CREATE INDEX dataset_app ON dataset (app_id, id);

CREATE TABLE dataset_version (
    dataset_id  VARCHAR(64)  NOT NULL REFERENCES dataset (id) ON DELETE CASCADE,
    version     INTEGER      NOT NULL, -- 1, 2, … in the order they arrived
    file_id     VARCHAR(64)  NOT NULL,
    rows_count  BIGINT       NOT NULL,
    created_at  BIGINT       NOT NULL,
    PRIMARY KEY (dataset_id, version),
    UNIQUE (dataset_id, file_id)       -- a file is a version once, however often it is announced
);

-- Every comparison of two versions, keyed by the job that made it.
CREATE TABLE dataset_diff (
    job_id       VARCHAR(64)  PRIMARY KEY,
    dataset_id   VARCHAR(64)  NOT NULL REFERENCES dataset (id) ON DELETE CASCADE,
    from_version INTEGER      NOT NULL,
    to_version   INTEGER      NOT NULL,
    status       VARCHAR(16)  NOT NULL, -- completed or failed
    summary      TEXT,                  -- JSON: counts, changes by column, columns added and removed, first changes
    diff_file    VARCHAR(64),
    significant  INTEGER      NOT NULL DEFAULT 0, -- the notify rule fired and dataset.changed was published
    rule         TEXT,                  -- which rule fired
    error        TEXT,
    created_at   BIGINT       NOT NULL
);
CREATE INDEX dataset_diff_pair ON dataset_diff (dataset_id, from_version, to_version);

-- A dataset's diff runs as a job: it names the dataset (and no pipeline: pipeline_id is '') and
-- keeps the diff's summary.
ALTER TABLE job ADD COLUMN dataset_id VARCHAR(64);
ALTER TABLE job ADD COLUMN result TEXT;
