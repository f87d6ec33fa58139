-- Amounts keep their currency's minor units (JPY 0, EUR 2, KWD 3): numeric without a fixed scale stores each value
-- with the scale it was written with, bounded here instead of by numeric(12, 2), which could not hold KWD and
-- turned an overflowing total into a 500. The application writes exactly the currency's decimals and refuses totals
-- over order.max-total (OrderTotals); see docs/adr/0001-amount-wire-format.md.
alter table orders alter column total type numeric;
alter table order_item alter column unit_price type numeric;
update orders set total = round(total, case currency when 'JPY' then 0 when 'KWD' then 3 else 2 end)
    where total = round(total, case currency when 'JPY' then 0 when 'KWD' then 3 else 2 end);
update order_item i set unit_price = round(i.unit_price, case o.currency when 'JPY' then 0 when 'KWD' then 3 else 2 end)
    from orders o
    where o.id = i.order_id
      and i.unit_price = round(i.unit_price, case o.currency when 'JPY' then 0 when 'KWD' then 3 else 2 end);
alter table orders add constraint orders_total_bounds check (total < 1e12 and scale(total) <= 3);
alter table order_item add constraint order_item_unit_price_bounds check (unit_price < 1e12 and scale(unit_price) <= 3);
