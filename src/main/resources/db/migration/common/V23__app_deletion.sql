-- Deleting an application marks it (it is gone from every lookup at once and its uid is free)
-- and each node then removes its rows in the background, a few hundred messages a transaction:
-- one cascading DELETE of an application with half a million messages held SQLite's only
-- writer, and so every publish of every application, for 25 s.
ALTER TABLE application ADD COLUMN deleted_at BIGINT;
CREATE INDEX application_deleted ON application (deleted_at) WHERE deleted_at IS NOT NULL;
