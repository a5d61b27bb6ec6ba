-- Secrets are sealed with the node's encryption key (AES-256-GCM). This row, sealed under the
-- same key, tells a node started with another key that it cannot open them, before it runs.
CREATE TABLE store_key (
    id          INTEGER      PRIMARY KEY,
    check_value TEXT         NOT NULL
);
