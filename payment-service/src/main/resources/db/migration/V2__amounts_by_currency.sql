-- Amounts keep their currency's minor units (JPY 0, EUR 2, KWD 3): numeric without a fixed scale stores each value
-- with the scale it was written with, bounded here instead of by numeric(12, 2), which could not hold KWD.
-- The application writes exactly the currency's decimals (SupportedCurrency.scale); see docs/adr/0001.
alter table payment alter column amount type numeric;
update payment set amount = round(amount, case currency when 'JPY' then 0 when 'KWD' then 3 else 2 end)
    where amount = round(amount, case currency when 'JPY' then 0 when 'KWD' then 3 else 2 end);
alter table payment add constraint payment_amount_bounds check (amount < 1e12 and scale(amount) <= 3);
