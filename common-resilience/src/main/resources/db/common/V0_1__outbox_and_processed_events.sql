-- Owned by common-resilience; every service runs it before its own migrations (quarkus.flyway.locations).

create table outbox (
    id           uuid primary key,
    type         varchar(100) not null,
    aggregate_id varchar(100) not null,
    payload      jsonb        not null,
    created_at   timestamptz  not null,
    published_at timestamptz,
    attempts     integer      not null default 0
);

-- The relay only ever looks for what is still to publish.
create index outbox_pending_idx on outbox (created_at) where published_at is null;

-- One row per event a consumer has handled: the same event id delivered twice has one effect.
create table processed_event (
    consumer     varchar(100) not null,
    event_id     uuid         not null,
    processed_at timestamptz  not null default now(),
    primary key (consumer, event_id)
);
