package org.acme.order.rest;

import java.math.BigDecimal;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import org.acme.order.OrderItem;
import org.acme.resilience.validation.KnownCurrency;

/**
 * {@code POST /orders}: who orders what, in which currency. Prices are JSON numbers in the currency's major units with
 * at most its minor units as decimals ({@code OrderTotals} checks the currency's; docs/adr/0001-amount-wire-format.md).
 */
public record PlaceOrder(
        @NotNull @Positive Long userId,
        @NotEmpty @Size(max = 100) List<@NotNull @Valid Item> items,
        @NotNull @KnownCurrency String currency) {

    public record Item(
            @NotBlank @Size(max = 100) String sku,
            @NotNull @Positive @Max(10_000) Integer quantity,
            @NotNull @DecimalMin(value = "0", inclusive = false) @Digits(integer = 8, fraction = 3) BigDecimal unitPrice) {

        OrderItem toOrderItem() {
            OrderItem item = new OrderItem();
            item.sku = sku;
            item.quantity = quantity;
            item.unitPrice = unitPrice;
            return item;
        }
    }

    List<OrderItem> orderItems() {
        return items.stream().map(Item::toOrderItem).toList();
    }
}
