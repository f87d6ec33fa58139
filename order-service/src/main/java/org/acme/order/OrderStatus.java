package org.acme.order;

/** PENDING -> CONFIRMED, or PENDING -> CANCELLED. Both ends are final. */
public enum OrderStatus {
    PENDING, CONFIRMED, CANCELLED
}
