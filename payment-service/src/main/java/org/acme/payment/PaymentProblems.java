package org.acme.payment;

import org.acme.resilience.problem.ProblemKind;

/** The problems only payment-service raises; their {@code type}s are payment-service's. */
public enum PaymentProblems implements ProblemKind {

    /** A charge for an order that already has a payment with other terms (amount, currency or user). */
    PAYMENT_CONFLICT(409, "Payment conflict"),

    /** An operator refund of a payment that was declined: nothing was charged. */
    PAYMENT_NOT_REFUNDABLE(409, "Payment not refundable");

    private final int status;
    private final String title;

    PaymentProblems(int status, String title) {
        this.status = status;
        this.title = title;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String title() {
        return title;
    }
}
