-- Svix's event types carry a group name and several feature flags; the one flag kept so far
-- becomes the first of the list (a JSON list, like channels).
ALTER TABLE event_type ADD COLUMN group_name VARCHAR(256);
ALTER TABLE event_type ADD COLUMN feature_flags TEXT;
UPDATE event_type SET feature_flags = '["' || feature_flag || '"]' WHERE feature_flag IS NOT NULL;
