-- An order's payment can be refunded after the saga ended (an operator's refund of a CONFIRMED order, or the
-- compensation of a CANCELLED order's charge): REFUNDED joins the lifecycle.
alter table orders drop constraint orders_status_check;
alter table orders add constraint orders_status_check
    check (status in ('PENDING', 'CONFIRMED', 'CANCELLED', 'REFUNDED'));
