-- PaymentReconciliation checks each finished order once against payment-service: reconciled_at says it has (null:
-- still to check, or a repair still to be confirmed), attention why an operator must look at it.
alter table orders add column reconciled_at timestamptz;
alter table orders add column attention varchar(500);

create index orders_unreconciled_idx on orders (updated_at)
    where reconciled_at is null and status in ('CONFIRMED', 'CANCELLED');
