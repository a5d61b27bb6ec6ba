-- Browser sessions of the operator console, kept by the SHA-256 of their secret like app tokens,
-- so every node knows them and signing out ends them everywhere.
CREATE TABLE console_session (
    token_hash  VARCHAR(64) PRIMARY KEY,
    expires_at  BIGINT      NOT NULL,
    created_at  BIGINT      NOT NULL
);
