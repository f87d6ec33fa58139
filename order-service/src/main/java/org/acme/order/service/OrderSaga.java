package org.acme.order.service;

import java.math.BigDecimal;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.order.Order;
import org.acme.order.OrderProblems;
import org.acme.order.OrderItem;
import org.acme.order.client.ChargeRequest;
import org.acme.order.client.PaymentClient;
import org.acme.order.client.UserClient;
import org.acme.resilience.problem.ProblemException;
import org.acme.resilience.problem.ProblemType;
import org.jboss.logging.Logger;

/**
 * Places an order: check the user, record the order PENDING, charge it, then confirm it or cancel it.
 *
 * <p>Each step commits on its own with its event, so a crash leaves at worst a PENDING order, which
 * {@link PendingOrderRecovery} cancels later. Cancelling is the compensation: {@code order.cancelled} makes
 * payment-service refund a charge it made, whether the charge's answer reached us or not (a timeout after the money
 * was taken). Fallbacks are technical and live in the clients; this class only decides the business outcome.
 */
@ApplicationScoped
public class OrderSaga {

    private static final Logger LOG = Logger.getLogger(OrderSaga.class);

    private final UserClient users;
    private final PaymentClient payments;
    private final Orders orders;
    private final OrderTotals totals;

    public OrderSaga(UserClient users, PaymentClient payments, Orders orders, OrderTotals totals) {
        this.users = users;
        this.payments = payments;
        this.orders = orders;
        this.totals = totals;
    }

    /**
     * Runs the saga to its end; to be called on a worker thread. {@code key}, when the client sent one, is tied to
     * the order as it is created.
     */
    public Order place(long userId, List<OrderItem> items, String currency, IdempotencyKeys.Key key) {
        BigDecimal total = totals.total(items, currency); // bad prices or too much: refused before anything happens
        UserClient.Lookup.Found user = checkUser(userId);
        Order order = orders.createPending(userId, items, total, currency, user.fromCache(), key);

        PaymentClient.Outcome outcome = payments.charge(new ChargeRequest(order.id, userId, order.total, currency));
        Order finished;
        if (outcome instanceof PaymentClient.Outcome.Paid paid) {
            finished = orders.confirm(order.id, paid.payment().id());
        } else if (outcome instanceof PaymentClient.Outcome.Declined declined) {
            finished = orders.cancel(order.id, declined.reason(), declined.payment().id());
        } else if (outcome instanceof PaymentClient.Outcome.Conflict conflict) {
            // the payment payment-service holds is not this order's: cancel, never confirm; the order.cancelled
            // carries this order's terms, so payment-service does not refund that other payment blindly
            finished = orders.cancel(order.id, conflict.reason(), null);
        } else {
            finished = orders.cancel(order.id, ((PaymentClient.Outcome.NoAnswer) outcome).reason(), null);
        }
        LOG.debugf("Order %s %s", finished.id, finished.status);
        return finished;
    }

    private UserClient.Lookup.Found checkUser(long userId) {
        UserClient.Lookup lookup = users.find(userId);
        if (lookup instanceof UserClient.Lookup.Unknown) {
            throw new ProblemException(OrderProblems.UNKNOWN_USER, "no user with id " + userId);
        }
        if (lookup instanceof UserClient.Lookup.NoAnswer noAnswer) {
            throw new ProblemException(ProblemType.DOWNSTREAM_UNAVAILABLE,
                    "cannot check user " + userId + ": " + noAnswer.reason() + "; try again later");
        }
        UserClient.Lookup.Found found = (UserClient.Lookup.Found) lookup;
        if (!found.user().active()) {
            throw new ProblemException(OrderProblems.USER_BLOCKED, "user " + userId + " is blocked");
        }
        return found;
    }
}
