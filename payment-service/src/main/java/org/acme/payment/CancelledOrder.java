package org.acme.payment;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * An order payment-service heard was cancelled. A charge for it that arrives late (a retry still in flight when the
 * saga gave up) is declined instead of leaving money taken for an order that does not exist.
 */
@Entity
@Table(name = "cancelled_order")
public class CancelledOrder extends PanacheEntityBase {

    @Id
    @Column(name = "order_id")
    public UUID orderId;

    @Column(name = "cancelled_at", nullable = false)
    public OffsetDateTime cancelledAt;
}
