package org.acme.order.service;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.order.OrderItem;
import org.acme.order.OrderProblems;
import org.acme.resilience.problem.Problem;
import org.acme.resilience.problem.ProblemException;
import org.acme.resilience.problem.ProblemType;
import org.acme.resilience.validation.SupportedCurrency;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Prices in the order's currency: each unit price has at most the currency's minor units (else 400 naming the
 * item), and the total is bounded (else 422 naming {@code total}) before anything is looked up or stored. The bound
 * keeps every total inside what storage and the wire format hold (docs/adr/0001-amount-wire-format.md).
 */
@ApplicationScoped
public class OrderTotals {

    /** What storage holds (numeric, bounded by a check constraint to less than 10^12). */
    static final BigDecimal STORABLE = new BigDecimal("1000000000000");

    private final BigDecimal maxTotal;

    public OrderTotals(@ConfigProperty(name = "order.max-total") BigDecimal maxTotal) {
        if (maxTotal.signum() <= 0 || maxTotal.compareTo(STORABLE) >= 0) {
            throw new IllegalStateException("order.max-total must be positive and less than " + STORABLE.toPlainString()
                    + ", was " + maxTotal.toPlainString());
        }
        this.maxTotal = maxTotal;
    }

    /**
     * Scales each unit price to the currency's minor units and returns the total, scaled the same way.
     *
     * @param currency a supported currency (validated at the edge)
     */
    public BigDecimal total(List<OrderItem> items, String currency) {
        SupportedCurrency money = SupportedCurrency.of(currency).orElseThrow();
        List<Problem.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (!money.fits(items.get(i).unitPrice)) {
                errors.add(new Problem.FieldError("items[" + i + "].unitPrice", money.tooManyDecimals()));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, errors.get(0).field() + " "
                    + errors.get(0).message(), errors);
        }
        items.forEach(item -> item.unitPrice = money.scale(item.unitPrice));
        BigDecimal total = money.scale(items.stream().map(OrderItem::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add));
        if (total.compareTo(maxTotal) > 0) {
            String message = "must not exceed " + maxTotal.toPlainString() + " " + currency + ", was "
                    + total.toPlainString();
            throw new ProblemException(OrderProblems.TOTAL_OVER_LIMIT, "the order's total (the sum of quantity × "
                    + "unitPrice over its items) " + message, List.of(new Problem.FieldError("total", message)));
        }
        return total;
    }
}
