package org.acme.order;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;

import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.SourceType;
import org.hibernate.annotations.UpdateTimestamp;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An order and where its saga stands. PENDING only while the saga runs; it ends CONFIRMED or CANCELLED. */
@Entity
@Table(name = "orders")
public class Order extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "user_id", nullable = false)
    public long userId;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "order_item", joinColumns = @JoinColumn(name = "order_id"))
    @OrderColumn(name = "position")
    public List<OrderItem> items = new ArrayList<>();

    /** In major units with exactly the currency's minor units as decimals (3000 JPY, 25.00 EUR, 1.250 KWD). */
    @Column(nullable = false)
    public BigDecimal total;

    @Column(nullable = false, length = 3)
    public String currency;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public OrderStatus status;

    /** Why the order was cancelled; null otherwise. */
    public String reason;

    /** The payment that settled the order, when payment-service answered. */
    @Column(name = "payment_id")
    public UUID paymentId;

    /** Whether the user was checked against a cached copy because user-service was failing. */
    @Column(name = "user_from_cache", nullable = false)
    public boolean userFromCache;

    /** When {@code PaymentReconciliation} found the order agreeing with payment-service (or flagged it). */
    @Column(name = "reconciled_at", insertable = false, updatable = false)
    public OffsetDateTime reconciledAt;

    /** Why an operator must look at this order (set by reconciliation: it should never happen), or null. */
    @Column(insertable = false, updatable = false)
    public String attention;

    /** When the order was recorded: its transaction's time by the database's clock, not by this instance's. */
    @CreationTimestamp(source = SourceType.DB)
    @Column(name = "created_at", nullable = false, updatable = false)
    public OffsetDateTime createdAt;

    /** When its status last changed, by the database's clock. */
    @UpdateTimestamp(source = SourceType.DB)
    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
