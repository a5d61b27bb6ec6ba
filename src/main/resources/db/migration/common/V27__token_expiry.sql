-- Retention removes expired portal tokens and console sessions a batch a transaction, found by
-- their expiry (before, one statement each scanned the whole table while it held SQLite's writer).
CREATE INDEX app_token_expires ON app_token (expires_at);
CREATE INDEX console_session_expires ON console_session (expires_at);
