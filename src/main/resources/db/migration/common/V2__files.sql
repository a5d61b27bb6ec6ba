-- Uploaded CSV files: the bytes live under the data dir, this row describes them.
CREATE TABLE csv_file (
    id          VARCHAR(64)  PRIMARY KEY,
    app_id      VARCHAR(64)  NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    name        TEXT         NOT NULL,
    size        BIGINT       NOT NULL,
    sha256      VARCHAR(64)  NOT NULL,
    row_count   BIGINT       NOT NULL,
    columns     TEXT         NOT NULL,
    delimiter   VARCHAR(8)   NOT NULL,
    encoding    VARCHAR(64)  NOT NULL,
    created_at  BIGINT       NOT NULL
);
CREATE INDEX csv_file_app ON csv_file (app_id, id);
