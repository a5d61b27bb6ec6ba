-- Application-scoped tokens (app portal access): kept by the SHA-256 of their secret text only.
CREATE TABLE app_token (
    id           VARCHAR(64)  PRIMARY KEY,
    token_hash   VARCHAR(64)  NOT NULL UNIQUE,
    app_id       VARCHAR(64)  NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    capabilities TEXT         NOT NULL, -- JSON array of capability names
    session_id   VARCHAR(64),
    expires_at   BIGINT       NOT NULL,
    revoked_at   BIGINT,
    created_at   BIGINT       NOT NULL
);
CREATE INDEX app_token_session ON app_token (app_id, session_id);
