-- A message's tags (a JSON list, like channels): free-form labels that lists filter by.
ALTER TABLE message ADD COLUMN tags TEXT;
