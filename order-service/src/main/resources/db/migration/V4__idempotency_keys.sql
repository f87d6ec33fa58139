-- Idempotency-Key of POST /orders (IETF draft httpapi-idempotency-key-header): one row per user and key, created
-- before the saga starts (so concurrent repeats find it), tied to its order in the order's own transaction, and
-- holding the first answer once there is one. Rows older than order.idempotency.retention (24 h) are deleted.
create table idempotency_key (
    user_id         bigint       not null,
    idem_key        varchar(255) not null,
    request_hash    varchar(64)  not null,
    order_id        uuid references orders (id),
    response_status integer,
    response_body   text,
    created_at      timestamptz  not null default now(),
    primary key (user_id, idem_key)
);

create index idempotency_key_created_idx on idempotency_key (created_at);
