create table payment (
    id         uuid primary key,
    order_id   uuid           not null unique,
    user_id    bigint         not null,
    amount     numeric(12, 2) not null check (amount > 0),
    currency   varchar(3)     not null,
    status     varchar(20)    not null check (status in ('COMPLETED', 'DECLINED', 'REFUNDED')),
    reason     varchar(500),
    created_at timestamptz    not null,
    updated_at timestamptz    not null
);

create table cancelled_order (
    order_id     uuid primary key,
    cancelled_at timestamptz not null
);
