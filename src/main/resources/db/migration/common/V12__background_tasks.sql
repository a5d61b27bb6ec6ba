-- Background tasks (Svix's QueueBackgroundTask): recover, replay-missing and bulk replay of one
-- endpoint's messages, worked through in batches ordered by message id. `cursor` is the last
-- message id handled and moves with each batch in the batch's own transaction, so a task that
-- loses its node resumes where it stopped, on whichever node takes its expired lease.
CREATE TABLE background_task (
    id           VARCHAR(64) PRIMARY KEY,
    task         VARCHAR(64) NOT NULL,
    status       VARCHAR(16) NOT NULL,
    app_id       VARCHAR(64) NOT NULL,
    endpoint_id  VARCHAR(64) NOT NULL,
    params       TEXT        NOT NULL,
    cursor       VARCHAR(64),
    scanned      BIGINT      NOT NULL,
    scheduled    BIGINT      NOT NULL,
    error        TEXT,
    lease_owner  VARCHAR(64),
    lease_until  BIGINT,
    created_at   BIGINT      NOT NULL,
    updated_at   BIGINT      NOT NULL
);
CREATE INDEX background_task_running ON background_task (lease_until) WHERE status = 'running';
