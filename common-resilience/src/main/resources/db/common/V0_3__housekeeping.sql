-- Housekeeping deletes published outbox rows and remembered event ids once they are old enough: find them by age
-- without reading the whole table.
create index outbox_published_idx on outbox (published_at) where published_at is not null;
create index processed_event_age_idx on processed_event (processed_at);
