-- When a message asked to be delivered (Svix's deliverAt); null: at once.
ALTER TABLE message ADD COLUMN deliver_at BIGINT;
