package org.acme.order.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * What every client and the nemesis did and saw, as Jepsen records it: each operation with when it was invoked and
 * when it completed, and whether it is known to have happened ({@code OK}), known not to have ({@code FAIL}), or
 * unknown ({@code INFO}: the client gave up, or the server could not say).
 */
final class History {

    enum Kind {
        /** An order that should be paid. */
        PAYABLE,
        /** Over payment-service's limit: declined. */
        DECLINED,
        /** From the blocked demo user: refused. */
        BLOCKED_USER,
        /** Malformed: always 400. */
        INVALID,
        /** Sent with an Idempotency-Key, and sent again while its outcome is unknown. */
        IDEMPOTENT,
        /** GET /orders/{id} of an order a client saw created. */
        READ
    }

    enum Outcome {
        OK, FAIL, INFO
    }

    /** One client operation. {@code sku} is unique per logical operation: it finds the order it created, if any. */
    record Op(int id, int client, Kind kind, String sku, String idempotencyKey, long userId, String amount,
            long invokedMillis, long completedMillis, Outcome outcome, int status, String orderId, String orderStatus,
            String detail) {

        long latencyMillis() {
            return completedMillis - invokedMillis;
        }
    }

    /** One fault, from its injection to its healing (healed == -1: never healed, itself a failure of the run). */
    record FaultWindow(String fault, String target, long injectedMillis, long healedMillis) {

        boolean activeAt(long millis) {
            return millis >= injectedMillis && (healedMillis < 0 || millis <= healedMillis);
        }
    }

    private final long startNanos = System.nanoTime();
    private final long startEpochMillis = System.currentTimeMillis();
    private final List<Op> ops = new ArrayList<>();
    private final List<FaultWindow> faults = new ArrayList<>();

    /** Milliseconds since the run began: the time axis of every record. */
    long now() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** The run's time axis for an instant a service reported (epoch milliseconds). */
    long fromEpoch(long epochMillis) {
        return epochMillis - startEpochMillis;
    }

    synchronized void add(Op op) {
        ops.add(op);
    }

    synchronized void add(FaultWindow fault) {
        faults.add(fault);
    }

    synchronized List<Op> ops() {
        return List.copyOf(ops);
    }

    synchronized List<FaultWindow> faults() {
        return List.copyOf(faults);
    }

    /** The faults active at a moment, for a violation's report. */
    synchronized List<String> faultsAt(long millis) {
        List<String> active = new ArrayList<>();
        for (FaultWindow fault : faults) {
            if (fault.activeAt(millis)) {
                active.add(fault.fault());
            }
        }
        return active;
    }
}
