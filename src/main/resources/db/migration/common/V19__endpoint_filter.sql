-- An endpoint's payload filter: a condition over the message's payload, in the pipelines' filter
-- language with dotted paths or JSON pointers for fields; null for none.
ALTER TABLE endpoint ADD COLUMN payload_filter TEXT;
