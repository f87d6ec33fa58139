package org.acme.order.service;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.order.Order;
import org.acme.order.OrderStatus;
import org.acme.order.client.PaymentClient;
import org.acme.order.client.RemotePayment;
import org.acme.order.config.ReconciliationConfig;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;

/**
 * Checks every finished order once against what payment-service holds for it ({@code GET /payments?orderId=}) and
 * repairs what the saga and its events left wrong, the saga's owner's way: by publishing the compensation again or
 * recording what payment-service did, never by writing payment-service's data.
 * <ul>
 * <li>CANCELLED, with a completed payment of the order's terms: the money was taken and not given back (the charge
 * landed after the saga gave up, or its {@code order.cancelled} was lost or is late): {@code order.cancelled} is
 * published again, and the order is checked again next run until the payment shows refunded.</li>
 * <li>CONFIRMED or CANCELLED, with the payment refunded: the order becomes REFUNDED (its {@code payment.refunded} was
 * lost or is late).</li>
 * <li>CONFIRMED without a completed payment: should be impossible; logged as an error and flagged for an operator.</li>
 * <li>A payment with other terms than the order's (a payment conflict): reported and flagged for an operator, never
 * refunded blindly.</li>
 * </ul>
 * Each repair counts in {@code orders_reconciled_total{repair}}. Several instances may check the same order at once:
 * every repair is idempotent (a second compensation refunds nothing more).
 */
@ApplicationScoped
public class PaymentReconciliation {

    /** What a check found and did, as the metric tag says it. */
    public enum Repair {
        /** The order agrees with payment-service. */
        NONE("none"),
        /** {@code order.cancelled} published again for a cancelled order whose charge was not refunded. */
        REFUND_REQUESTED("refund-requested"),
        /** The order moved to REFUNDED because payment-service had refunded its payment. */
        REFUND_RECORDED("refund-recorded"),
        /** A CONFIRMED order without a completed payment: flagged. */
        CONFIRMED_WITHOUT_PAYMENT("confirmed-without-payment"),
        /** payment-service holds a payment with other terms under the order's id: flagged. */
        PAYMENT_CONFLICT("payment-conflict");

        public final String tag;

        Repair(String tag) {
            this.tag = tag;
        }
    }

    private static final Logger LOG = Logger.getLogger(PaymentReconciliation.class);

    private final Orders orders;
    private final PaymentClient payments;
    private final ReconciliationConfig config;
    private final MeterRegistry metrics;

    public PaymentReconciliation(Orders orders, PaymentClient payments, ReconciliationConfig config,
            MeterRegistry metrics) {
        this.orders = orders;
        this.payments = payments;
        this.config = config;
        this.metrics = metrics;
    }

    @Scheduled(every = "${order.reconciliation.interval}", delayed = "${order.reconciliation.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void periodically() {
        run();
    }

    /**
     * Checks up to a batch of finished orders. Stops at the first that payment-service cannot answer for: the next
     * run tries again.
     *
     * @return how many orders each repair was applied to
     */
    public Map<Repair, Integer> run() {
        Map<Repair, Integer> done = new EnumMap<>(Repair.class);
        for (UUID id : orders.toReconcile(config.settleAfter(), config.batchSize())) {
            PaymentClient.Holdings held = payments.paymentsOf(id);
            if (held instanceof PaymentClient.Holdings.NoAnswer unanswered) {
                LOG.infof("Reconciliation paused: payment-service cannot say what it holds for order %s (%s)", id,
                        unanswered.reason());
                break;
            }
            Repair repair = reconcile(orders.find(id), ((PaymentClient.Holdings.Known) held).payments());
            done.merge(repair, 1, Integer::sum);
            if (repair != Repair.NONE) {
                metrics.counter("orders_reconciled_total", "repair", repair.tag).increment();
            }
        }
        return done;
    }

    private Repair reconcile(Order order, List<RemotePayment> held) {
        List<RemotePayment> ours = held.stream().filter(p -> sameTerms(order, p)).toList();
        if (ours.stream().anyMatch(p -> "REFUNDED".equals(p.status()))) {
            orders.refunded(order.id);
            orders.reconciled(order.id, null);
            LOG.infof("Reconciliation: order %s was refunded by payment-service; recorded as REFUNDED", order.id);
            return Repair.REFUND_RECORDED;
        }
        boolean charged = ours.stream().anyMatch(RemotePayment::completed);
        if (ours.isEmpty() && !held.isEmpty()) {
            String attention = "payment conflict: payment-service holds " + held.get(0).id() + " for "
                    + held.get(0).amount() + " " + held.get(0).currency() + " under this order's id";
            LOG.errorf("Reconciliation: order %s (%s %s): %s; left for an operator", order.id, order.total,
                    order.currency, attention);
            orders.reconciled(order.id, attention);
            return Repair.PAYMENT_CONFLICT;
        }
        if (order.status == OrderStatus.CANCELLED && charged) {
            LOG.warnf("Reconciliation: cancelled order %s still has a completed charge; publishing its compensation "
                    + "again", order.id);
            orders.compensateAgain(order.id);
            return Repair.REFUND_REQUESTED; // checked again next run, until the payment shows refunded
        }
        if (order.status == OrderStatus.CONFIRMED && !charged) {
            String attention = "confirmed without a completed payment in payment-service";
            LOG.errorf("Reconciliation: order %s is CONFIRMED but payment-service holds no completed payment for it; "
                    + "flagged for an operator", order.id);
            orders.reconciled(order.id, attention);
            return Repair.CONFIRMED_WITHOUT_PAYMENT;
        }
        orders.reconciled(order.id, null);
        return Repair.NONE;
    }

    private static boolean sameTerms(Order order, RemotePayment payment) {
        return order.id.equals(payment.orderId()) && payment.amount() != null
                && payment.amount().compareTo(order.total) == 0 && order.currency.equals(payment.currency());
    }
}
