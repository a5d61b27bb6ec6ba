-- The time of the latest outcome an endpoint's health (failing_since) was set from. Two batches of
-- outcomes can be written at once and commit in either order: a batch whose outcomes are older
-- than the endpoint's health_at leaves the health as the newer batch set it.
ALTER TABLE endpoint ADD COLUMN health_at BIGINT;
