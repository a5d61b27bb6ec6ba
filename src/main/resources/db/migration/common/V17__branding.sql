-- How the portals look: the server's default (owner '*') and each application's own (owner its
-- id), each field null when not set. The logo is a data: URL, shown by the pages' <img>.
CREATE TABLE branding (
    owner       VARCHAR(64)  PRIMARY KEY,
    name        VARCHAR(256),
    accent      VARCHAR(7),
    logo        TEXT,
    updated_at  BIGINT       NOT NULL
);
