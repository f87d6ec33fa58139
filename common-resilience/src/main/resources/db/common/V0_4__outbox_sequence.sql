-- Events go out in the order a database sequence gives their rows, and rows are stamped by the database's clock:
-- instances with drifting clocks can no longer reorder what they publish.
alter table outbox add column seq bigserial;
alter table outbox alter column created_at set default now();
drop index outbox_pending_idx;
create index outbox_pending_idx on outbox (seq) where published_at is null;
