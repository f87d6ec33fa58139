package org.acme.payment;

import org.acme.resilience.problem.ProblemKind;

/** The problems only payment-service raises; their {@code type}s are payment-service's. */
public final class PaymentProblems {

    /** A charge for an order that already has a payment with other terms (amount, currency or user). */
    public static final ProblemKind PAYMENT_CONFLICT = new ProblemKind("payment-conflict", 409, "Payment conflict");

    /** An operator refund of a payment that was declined: nothing was charged. */
    public static final ProblemKind PAYMENT_NOT_REFUNDABLE =
            new ProblemKind("payment-not-refundable", 409, "Payment not refundable");

    private PaymentProblems() {
    }
}
