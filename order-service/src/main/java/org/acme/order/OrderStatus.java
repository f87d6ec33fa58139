package org.acme.order;

/**
 * PENDING while the saga runs, then CONFIRMED or CANCELLED. A CONFIRMED order whose payment an operator refunded, or a
 * CANCELLED one whose charge was compensated, becomes REFUNDED when payment-service says so; REFUNDED is final.
 */
public enum OrderStatus {
    PENDING, CONFIRMED, CANCELLED, REFUNDED
}
