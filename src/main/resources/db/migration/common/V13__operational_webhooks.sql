-- Operational events are now delivered to operational webhook endpoints like any message (of
-- an application CSV-X keeps for itself), so the table they were written to goes.
DROP TABLE operational_event;
