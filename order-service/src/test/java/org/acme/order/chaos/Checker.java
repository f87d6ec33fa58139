package org.acme.order.chaos;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.acme.order.chaos.History.FaultWindow;
import org.acme.order.chaos.History.Kind;
import org.acme.order.chaos.History.Op;
import org.acme.order.chaos.History.Outcome;
import org.acme.resilience.testing.LocalBackends;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Judges a run: the history of what clients saw, against the databases and the events an independent consumer read
 * off {@code domain_events} once the system settled, and the circuit's states against the faults that were active.
 * Each violation names the invariant, the order, the operations that touched it and the faults active then.
 */
final class Checker {

    /** One broken invariant. */
    record Violation(String invariant, String orderId, String detail, List<Op> ops, Set<String> faults) {
        @Override
        public String toString() {
            return invariant + " — order " + orderId + ": " + detail + "; faults then: " + faults + "; ops: "
                    + ops.stream().map(op -> op.kind() + "#" + op.id() + "@" + op.invokedMillis() + "ms→"
                            + op.outcome() + "/" + op.status() + (op.orderStatus() == null ? "" : "/" + op.orderStatus()))
                            .collect(Collectors.joining(", "));
        }
    }

    record Order(String id, long userId, String sku, BigDecimal total, String currency, String status) {
    }

    record Payment(String orderId, BigDecimal amount, String currency, String status) {
    }

    /** A circuit is given this long after all of its downstream's instances were blackholed to open. */
    static final long OPEN_WITHIN_MILLIS = 8000;
    static final String BLACKHOLE_ALL = "blackhole payment (every instance)";

    private final History history;
    private final List<Violation> violations = new ArrayList<>();
    private final Map<String, List<Op>> opsBySku = new HashMap<>();
    private final Map<String, List<Op>> opsByOrder = new HashMap<>();
    /** The databases as {@link #checkDatabases()} read them, for the checks after it. */
    private Map<String, Order> orders = Map.of();
    private Map<String, Payment> payments = Map.of();

    Checker(History history) {
        this.history = history;
        for (Op op : history.ops()) {
            if (op.sku() != null) {
                opsBySku.computeIfAbsent(op.sku(), k -> new ArrayList<>()).add(op);
            }
            if (op.orderId() != null) {
                opsByOrder.computeIfAbsent(op.orderId(), k -> new ArrayList<>()).add(op);
            }
        }
    }

    List<Violation> violations() {
        return List.copyOf(violations);
    }

    /** What every client saw, against the orders and payments in the databases. */
    void checkDatabases() throws SQLException {
        Map<String, Order> orders = new HashMap<>();
        Map<String, List<Order>> ordersBySku = new HashMap<>();
        try (Connection c = LocalBackends.connect(Cluster.ORDERS_DB); ResultSet rs = c.createStatement().executeQuery(
                "select o.id::text, o.user_id, i.sku, o.total, o.currency, o.status from orders o "
                        + "join order_item i on i.order_id = o.id")) {
            while (rs.next()) {
                Order order = new Order(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getBigDecimal(4),
                        rs.getString(5), rs.getString(6));
                orders.put(order.id(), order);
                ordersBySku.computeIfAbsent(order.sku(), k -> new ArrayList<>()).add(order);
            }
        }
        Map<String, Payment> payments = new HashMap<>();
        try (Connection c = LocalBackends.connect(Cluster.PAYMENTS_DB); ResultSet rs = c.createStatement()
                .executeQuery("select order_id::text, amount, currency, status from payment")) {
            while (rs.next()) {
                payments.put(rs.getString(1), new Payment(rs.getString(1), rs.getBigDecimal(2), rs.getString(3),
                        rs.getString(4)));
            }
        }

        for (Order order : orders.values()) {
            Payment payment = payments.get(order.id());
            switch (order.status()) {
                case "CONFIRMED" -> {
                    if (payment == null || !payment.status().equals("COMPLETED")) {
                        violation("a confirmed order is paid", order, "payment " + payment);
                    } else if (payment.amount().compareTo(order.total()) != 0
                            || !payment.currency().equals(order.currency())) {
                        violation("a confirmed order is paid its total", order, order.total() + " " + order.currency()
                                + " charged as " + payment.amount() + " " + payment.currency());
                    }
                }
                case "CANCELLED" -> {
                    if (payment != null && payment.status().equals("COMPLETED")) {
                        violation("no money kept for a cancelled order", order, "payment COMPLETED, not refunded");
                    }
                }
                case "REFUNDED" -> {
                    // a cancelled order that had been charged: the money went back (nobody refunds by hand here)
                    if (payment == null || !payment.status().equals("REFUNDED")) {
                        violation("a refunded order's payment is refunded", order, "payment " + payment);
                    }
                }
                default -> violation("every order ends CONFIRMED, CANCELLED or REFUNDED", order,
                        "left " + order.status());
            }
            List<Op> ops = opsBySku.getOrDefault(order.sku(), List.of());
            Kind kind = ops.isEmpty() ? null : ops.get(0).kind();
            if (kind == Kind.INVALID) {
                violation("a malformed order is never created", order, "created from an invalid request");
            }
            if ((kind == Kind.DECLINED || kind == Kind.BLOCKED_USER) && order.status().equals("CONFIRMED")) {
                violation("an order that must be refused is never confirmed", order, kind + " confirmed");
            }
        }
        for (Map.Entry<String, List<Order>> sku : ordersBySku.entrySet()) {
            if (sku.getValue().size() > 1) {
                violation("one operation creates at most one order", sku.getValue().get(0),
                        sku.getValue().size() + " orders for " + sku.getKey());
            }
        }
        for (Payment payment : payments.values()) {
            if (!orders.containsKey(payment.orderId())) {
                violations.add(new Violation("no payment without its order", payment.orderId(),
                        "payment " + payment.status() + " for an order order-service does not have", List.of(),
                        Set.of()));
            }
        }

        for (Op op : history.ops()) {
            if (op.status() == 500) {
                violations.add(new Violation("never a 500", op.orderId(), op.detail(), List.of(op), faults(List.of(op))));
            }
            if (op.kind() == Kind.READ) {
                Order order = orders.get(op.orderId());
                if (op.outcome() == Outcome.OK && order != null && !mayBecome(op.orderStatus(), order.status())) {
                    violation("a finished order never changes", order, "read " + op.orderStatus() + ", ends "
                            + order.status());
                }
                continue;
            }
            List<Order> created = ordersBySku.getOrDefault(op.sku(), List.of());
            if (op.outcome() == Outcome.OK) {
                Order order = orders.get(op.orderId());
                if (order == null) {
                    violations.add(new Violation("an order a client saw created exists", op.orderId(), "missing",
                            List.of(op), faults(List.of(op))));
                } else if (!mayBecome(op.orderStatus(), order.status())) {
                    violation("the answer's outcome is the order's", order, "answered " + op.orderStatus()
                            + ", ends " + order.status());
                }
            } else if (op.outcome() == Outcome.FAIL && op.kind() != Kind.IDEMPOTENT && !created.isEmpty()) {
                violation("a refused request leaves no order", created.get(0), "refused with " + op.status()
                        + " " + op.detail() + " but created");
            }
            if (op.kind() == Kind.INVALID && op.outcome() == Outcome.OK) {
                violations.add(new Violation("a malformed order is refused", op.orderId(), "answered 201",
                        List.of(op), faults(List.of(op))));
            }
        }
        // every answer for one Idempotency-Key names the same order
        Map<String, Set<String>> orderIdsByKey = new HashMap<>();
        history.ops().stream().filter(op -> op.idempotencyKey() != null && op.outcome() == Outcome.OK)
                .forEach(op -> orderIdsByKey.computeIfAbsent(op.idempotencyKey(), k -> new HashSet<>())
                        .add(op.orderId()));
        orderIdsByKey.forEach((key, ids) -> {
            if (ids.size() > 1) {
                violations.add(new Violation("one order per Idempotency-Key", String.join(",", ids),
                        "key " + key + " answered with " + ids.size() + " orders", List.of(), Set.of()));
            }
        });
        this.orders = orders;
        this.payments = payments;
    }

    /** The events tell the databases' story: every state change at least once, none missing or contradicting. */
    void checkEvents(Map<String, List<JsonNode>> eventsBySubject) {
        eventsBySubject.values().stream().flatMap(List::stream).filter(e -> e.has("malformed")).forEach(e ->
                violations.add(new Violation("every message on domain_events is an event envelope", null,
                        e.path("malformed").asText(), List.of(), Set.of())));
        for (Order order : orders.values()) {
            List<JsonNode> events = eventsBySubject.getOrDefault(order.id(), List.of());
            expect(order, events, "order.created", 1);
            boolean refunded = order.status().equals("REFUNDED");
            expect(order, events, "order.confirmed", order.status().equals("CONFIRMED") ? 1 : 0);
            expect(order, events, "order.cancelled", order.status().equals("CANCELLED") || refunded ? 1 : 0);
            expect(order, events, "order.refunded", refunded ? 1 : 0);
            Payment payment = payments.get(order.id());
            String paid = payment == null ? "NONE" : payment.status();
            expect(order, events, "payment.completed", paid.equals("COMPLETED") || paid.equals("REFUNDED") ? 1 : 0);
            expect(order, events, "payment.refunded", paid.equals("REFUNDED") ? 1 : 0);
            expect(order, events, "payment.declined", paid.equals("DECLINED") ? 1 : 0);
        }
    }

    private void expect(Order order, List<JsonNode> events, String type, int distinct) {
        Set<String> ids = events.stream().filter(e -> type.equals(e.path("type").asText()))
                .map(e -> e.path("id").asText()).collect(Collectors.toSet());
        if (ids.size() != distinct) {
            violation("the events tell the databases' story", order, ids.size() + " distinct " + type
                    + " events, expected " + distinct + " (order " + order.status() + ", payment "
                    + (payments.get(order.id()) == null ? "none" : payments.get(order.id()).status()) + ")");
        }
    }

    /**
     * The circuit of payment-service: every transition announced (each event's {@code from} is the previous one's
     * {@code to}), it closes only from HALF_OPEN (a probe succeeded), and while every instance is blackholed it opens
     * within {@link #OPEN_WITHIN_MILLIS} and never reads CLOSED again until the blackhole is healed.
     */
    void checkCircuit(String downstream, List<JsonNode> circuitEvents, List<CircuitPoller.Reading> readings) {
        List<JsonNode> transitions = circuitEvents.stream()
                .filter(e -> downstream.equals(e.path("data").path("downstream").asText()))
                .collect(Collectors.toMap(e -> e.path("id").asText(), e -> e, (a, b) -> a)).values().stream()
                .sorted(Comparator.comparing(e -> Instant.parse(e.path("data").path("at").asText())))
                .toList();
        String previous = "CLOSED";
        long previousAt = Long.MIN_VALUE;
        for (JsonNode event : transitions) {
            JsonNode data = event.path("data");
            long at = history.fromEpoch(Instant.parse(data.path("at").asText()).toEpochMilli());
            if (restartedBetween(previousAt, at)) {
                previous = "CLOSED"; // a circuit lives in its process: a restarted order-service starts CLOSED
            }
            previousAt = at;
            if (!data.path("from").asText().equals(previous)) {
                violations.add(new Violation("every circuit transition is announced", downstream,
                        "a transition " + data.path("from").asText() + "→" + data.path("to").asText() + " at " + at
                                + " ms follows " + previous, List.of(), new HashSet<>(history.faultsAt(at))));
            }
            if (data.path("to").asText().equals("CLOSED") && !data.path("from").asText().equals("HALF_OPEN")) {
                violations.add(new Violation("a circuit closes only after a probe succeeded", downstream,
                        "closed from " + data.path("from").asText() + " at " + at + " ms", List.of(),
                        new HashSet<>(history.faultsAt(at))));
            }
            previous = data.path("to").asText();
        }
        List<CircuitPoller.Reading> ofDownstream = readings.stream().filter(r -> r.downstream().equals(downstream))
                .toList();
        for (FaultWindow window : history.faults()) {
            if (!window.fault().equals(BLACKHOLE_ALL) || window.healedMillis() < 0
                    || window.healedMillis() - window.injectedMillis() < OPEN_WITHIN_MILLIS) {
                continue;
            }
            // the circuit can only open once order-service is up to call: a fault on it delays the clock's start
            long from = window.injectedMillis();
            for (FaultWindow other : history.faults()) {
                if (other.target().equals("order-1") && other.activeAt(from)) {
                    from = other.healedMillis() < 0 ? Long.MAX_VALUE : other.healedMillis();
                }
            }
            if (window.healedMillis() - from < OPEN_WITHIN_MILLIS) {
                continue;
            }
            long start = from;
            Long opened = ofDownstream.stream().filter(r -> r.atMillis() >= start
                    && r.atMillis() <= start + OPEN_WITHIN_MILLIS && r.state().equals("OPEN"))
                    .map(CircuitPoller.Reading::atMillis).findFirst().orElse(null);
            if (opened == null) {
                violations.add(new Violation("a blackholed downstream's circuit opens", downstream,
                        "not OPEN within " + OPEN_WITHIN_MILLIS + " ms of " + start + " ms", List.of(),
                        new HashSet<>(history.faultsAt(start))));
                continue;
            }
            ofDownstream.stream().filter(r -> r.atMillis() > opened && r.atMillis() < window.healedMillis()
                    && r.state().equals("CLOSED")).findFirst().ifPresent(r -> violations.add(new Violation(
                            "a circuit never reads CLOSED while its downstream is blackholed", downstream,
                            "CLOSED at " + r.atMillis() + " ms, blackholed until " + window.healedMillis() + " ms",
                            List.of(), new HashSet<>(history.faultsAt(r.atMillis())))));
        }
    }

    private boolean restartedBetween(long from, long to) {
        return history.faults().stream().anyMatch(f -> f.fault().endsWith("order-service")
                && f.injectedMillis() > from && f.injectedMillis() < to);
    }

    /** After the last fault healed, orders are accepted again within the stated time. */
    void checkLiveness(long healedToConfirmedMillis, long limitMillis) {
        if (healedToConfirmedMillis < 0 || healedToConfirmedMillis > limitMillis) {
            violations.add(new Violation("liveness: orders are confirmed again after the faults heal", null,
                    healedToConfirmedMillis < 0 ? "no order confirmed" : healedToConfirmedMillis + " ms", List.of(),
                    Set.of()));
        }
    }

    /** Whether an order seen in one state may end in another: PENDING ends anyhow; a charged CANCELLED, REFUNDED. */
    private static boolean mayBecome(String seen, String end) {
        return "PENDING".equals(seen) || end.equals(seen) || ("CANCELLED".equals(seen) && "REFUNDED".equals(end));
    }

    private void violation(String invariant, Order order, String detail) {
        List<Op> ops = new ArrayList<>(opsBySku.getOrDefault(order.sku(), List.of()));
        opsByOrder.getOrDefault(order.id(), List.of()).stream().filter(op -> !ops.contains(op)).forEach(ops::add);
        violations.add(new Violation(invariant, order.id(), detail, ops, faults(ops)));
    }

    private Set<String> faults(List<Op> ops) {
        Set<String> faults = new HashSet<>();
        for (Op op : ops) {
            for (FaultWindow window : history.faults()) {
                long healed = window.healedMillis() < 0 ? Long.MAX_VALUE : window.healedMillis();
                if (window.injectedMillis() <= op.completedMillis() && healed >= op.invokedMillis()) {
                    faults.add(window.fault());
                }
            }
        }
        return faults;
    }
}
