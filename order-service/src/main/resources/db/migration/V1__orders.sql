create table orders (
    id              uuid primary key,
    user_id         bigint         not null,
    total           numeric(12, 2) not null,
    currency        varchar(3)     not null,
    status          varchar(20)    not null check (status in ('PENDING', 'CONFIRMED', 'CANCELLED')),
    reason          varchar(500),
    payment_id      uuid,
    user_from_cache boolean        not null default false,
    created_at      timestamptz    not null,
    updated_at      timestamptz    not null
);

-- Recovery looks for sagas that never finished.
create index orders_pending_idx on orders (created_at) where status = 'PENDING';
create index orders_status_idx on orders (status, created_at);

create table order_item (
    order_id   uuid           not null references orders (id),
    position   integer        not null,
    sku        varchar(100)   not null,
    quantity   integer        not null check (quantity > 0),
    unit_price numeric(12, 2) not null check (unit_price > 0),
    primary key (order_id, position)
);
