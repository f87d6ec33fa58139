package org.acme.payment;

/** COMPLETED may become REFUNDED; DECLINED is final. */
public enum PaymentStatus {
    COMPLETED, DECLINED, REFUNDED
}
