-- The bytes of stored files, in chunks, for nodes that share a database but not a disk: a node
-- that needs a file another node stored copies it from here into its own data dir. Only used
-- on PostgreSQL; a single SQLite node keeps files on its disk alone.
CREATE TABLE file_chunk (
    file_id  VARCHAR(64) NOT NULL,
    app_id   VARCHAR(64) NOT NULL,
    seq      INTEGER     NOT NULL,
    data     BYTEA       NOT NULL,
    PRIMARY KEY (file_id, seq)
);
CREATE INDEX file_chunk_app ON file_chunk (app_id);
