package org.acme.order.service;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.acme.order.Order;
import org.acme.order.OrderEvents;
import org.acme.order.OrderItem;
import org.acme.order.OrderStatus;
import org.acme.resilience.outbox.Outbox;

/**
 * Every state change of an order, each in its own transaction together with the event that announces it. Finishing
 * takes a row lock and only moves a PENDING order, so the saga and the recovery can never both finish one order.
 */
@ApplicationScoped
public class Orders {

    private final Outbox outbox;
    private final EntityManager em;
    private final IdempotencyKeys keys;

    public Orders(Outbox outbox, EntityManager em, IdempotencyKeys keys) {
        this.outbox = outbox;
        this.em = em;
        this.keys = keys;
    }

    /**
     * Records the order PENDING with its {@code order.created}, and ties the request's idempotency key to it.
     *
     * @param total the items' total in the currency's minor units ({@link OrderTotals})
     */
    @Transactional
    public Order createPending(long userId, List<OrderItem> items, BigDecimal total, String currency,
            boolean userFromCache, IdempotencyKeys.Key key) {
        Order order = new Order();
        order.id = UUID.randomUUID();
        order.userId = userId;
        order.items.addAll(items);
        order.total = total;
        order.currency = currency;
        order.status = OrderStatus.PENDING;
        order.userFromCache = userFromCache;
        order.persist();
        outbox.append(OrderEvents.CREATED, order.id.toString(), OrderEvents.OrderChanged.of(order));
        if (key != null) {
            keys.attach(key, order.id);
        }
        return order;
    }

    @Transactional
    public Order confirm(UUID orderId, UUID paymentId) {
        return finish(orderId, OrderStatus.CONFIRMED, null, paymentId);
    }

    /** Cancels a PENDING order; its {@code order.cancelled} makes payment-service refund anything it charged. */
    @Transactional
    public Order cancel(UUID orderId, String reason, UUID paymentId) {
        return finish(orderId, OrderStatus.CANCELLED, reason, paymentId);
    }

    /**
     * payment-service refunded this order's payment: a CONFIRMED order (an operator's refund) or a CANCELLED one (its
     * charge compensated) becomes REFUNDED, with {@code order.refunded}. A PENDING order's saga is still deciding:
     * the event is retried until it has. A repeat changes nothing.
     *
     * @throws IllegalStateException while the order is PENDING (a transient failure: the consumer retries)
     */
    @Transactional
    public Order refunded(UUID orderId) {
        Order order = lockAndLoad(orderId);
        if (order == null) {
            throw new UnknownOrderException(orderId);
        }
        switch (order.status) {
            case PENDING -> throw new IllegalStateException("order " + orderId + " is still PENDING");
            case REFUNDED -> {
                return order;
            }
            case CONFIRMED, CANCELLED -> {
                order.status = OrderStatus.REFUNDED;
                outbox.append(OrderEvents.REFUNDED, order.id.toString(), OrderEvents.OrderChanged.of(order));
                return order;
            }
        }
        throw new IllegalStateException("unknown status " + order.status);
    }

    /**
     * Finished orders not yet checked against payment-service, finished for longer than {@code settled} by the
     * database's clock, oldest first.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<UUID> toReconcile(Duration settled, int limit) {
        return em.createNativeQuery("""
                select id from orders
                where reconciled_at is null and status in ('CONFIRMED', 'CANCELLED')
                  and updated_at < now() - make_interval(secs => ?1)
                order by updated_at limit ?2""", UUID.class)
                .setParameter(1, settled.toNanos() / 1e9).setParameter(2, limit)
                .getResultList();
    }

    @Transactional
    public Order find(UUID orderId) {
        return Order.findById(orderId);
    }

    /** The order agrees with payment-service, or has been flagged for an operator ({@code attention} not null). */
    @Transactional
    public void reconciled(UUID orderId, String attention) {
        em.createNativeQuery("update orders set reconciled_at = now(), attention = ?2 where id = ?1")
                .setParameter(1, orderId).setParameter(2, attention).executeUpdate();
    }

    /**
     * Publishes the compensation of a CANCELLED order again (a new {@code order.cancelled}, so payment-service's
     * consumer, idempotent by event id, handles it once more): its charge was not refunded the first time.
     */
    @Transactional
    public void compensateAgain(UUID orderId) {
        Order order = lockAndLoad(orderId);
        if (order.status == OrderStatus.CANCELLED) {
            outbox.append(OrderEvents.CANCELLED, order.id.toString(), OrderEvents.OrderChanged.of(order));
        }
    }

    /** No order with this id exists here: an event about it can never be applied. */
    public static final class UnknownOrderException extends RuntimeException {
        UnknownOrderException(UUID orderId) {
            super("no order with id " + orderId, null, false, false);
        }
    }

    /**
     * Ids of orders PENDING for longer than {@code age} by the database's clock, oldest first: sagas nobody is running
     * any more. One clock for every instance, so instances with drifting clocks agree on which sagas are stale.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<UUID> pendingLongerThan(Duration age) {
        return em.createNativeQuery("""
                select id from orders
                where status = 'PENDING' and created_at < now() - make_interval(secs => ?1)
                order by created_at""", UUID.class)
                .setParameter(1, age.toNanos() / 1e9)
                .getResultList();
    }

    private Order finish(UUID orderId, OrderStatus status, String reason, UUID paymentId) {
        Order order = lockAndLoad(orderId);
        if (order.status != OrderStatus.PENDING) {
            return order; // finished already (by recovery, or by the saga when recovery comes late)
        }
        order.status = status;
        order.reason = reason;
        order.paymentId = paymentId;
        String type = status == OrderStatus.CONFIRMED ? OrderEvents.CONFIRMED : OrderEvents.CANCELLED;
        outbox.append(type, order.id.toString(), OrderEvents.OrderChanged.of(order));
        return order;
    }

    /**
     * The order, its row locked for this transaction, or null. Lock first, then load: locking the entity itself makes
     * Hibernate lock its item collection with a follow-on query that fails under concurrency.
     */
    private Order lockAndLoad(UUID orderId) {
        List<?> locked = em.createNativeQuery("select id from orders where id = ?1 for update")
                .setParameter(1, orderId).getResultList();
        return locked.isEmpty() ? null : Order.findById(orderId);
    }
}
