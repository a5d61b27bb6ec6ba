-- The admin token's SHA-256: the API compares what a request presents with it, so the database
-- never holds the token itself. A node records its own at start.
CREATE TABLE admin_token (
    id          INTEGER      PRIMARY KEY,
    token_hash  VARCHAR(64)  NOT NULL
);
