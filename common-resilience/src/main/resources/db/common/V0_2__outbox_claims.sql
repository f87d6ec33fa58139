-- The relay claims a batch for a short lease instead of holding a transaction (and row locks) while it waits for the
-- broker's confirms; a claim left by a crashed relay expires and the rows are published by the next one.
alter table outbox add column claimed_until timestamptz;
