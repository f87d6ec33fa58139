package org.acme.order.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.acme.resilience.testing.LocalBackends;
import org.acme.resilience.topology.Topology;
import org.acme.resilience.topology.TopologyDeclarer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

/**
 * Proof under fire, Jepsen's way: concurrent clients place and read orders against two instances of user-service and
 * payment-service and one of order-service, while a nemesis injects faults on every link (through a proxy speaking
 * Toxiproxy's API) and into the processes, the broker and Consul, on a schedule drawn from a seed; once the system
 * has settled, a checker judges the history against the databases and the events, and every violation fails the run.
 *
 * <p>{@code ./mvnw verify -Pchaos} runs the short run: a fixed seed, every fault once. Longer:
 * {@code -Dchaos.duration=30m -Dchaos.seed=...}; one fault alone: {@code -Dchaos.scenario="kill -9 order-service"};
 * {@code -Dchaos.clients=8}; {@code -Dchaos.toxiproxy=http://host:8474} drives a real Toxiproxy; {@code
 * -Dchaos.docs=true} also writes the report and picture under {@code docs/chaos/}. Needs {@code rabbitmqctl}.
 */
@Tag("chaos")
class ConcurrentFaultsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERIFIER_QUEUE = "jepsen.verifier";
    private static final long HEAL_LIMIT_MILLIS = 60_000;

    @Test
    void concurrentClientsUnderEveryFaultLoseNothingAndChargeNothingTwice() throws Exception {
        long seed = Long.getLong("chaos.seed", 20261202L);
        int clientCount = Integer.getInteger("chaos.clients", 8);
        Duration length = Duration.parse("PT" + System.getProperty("chaos.duration", "0s").toUpperCase());
        String scenario = System.getProperty("chaos.scenario", "");
        String run = scenario.isEmpty() ? (length.isZero() ? "short run" : length.toMinutes() + "-minute run")
                + ", seed " + seed : "scenario: " + scenario;
        System.out.printf("chaos: %s (reproduce with -Dchaos.seed=%d)%n", run, seed);

        Path root = Path.of(System.getProperty("chaos.root", "..")).toAbsolutePath().normalize();
        File logs = root.resolve("order-service/target/chaos/jepsen").toFile();
        logs.mkdirs();
        for (File old : logs.listFiles()) {
            old.delete(); // each run's logs and report alone
        }
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(LocalBackends.RABBIT_HOST);
        factory.setPort(LocalBackends.RABBIT_PORT);
        factory.setAutomaticRecoveryEnabled(true);
        try (com.rabbitmq.client.Connection rabbit = factory.newConnection("jepsen-verifier")) {
            // a fresh broker has no domain_events yet: the services declare it, and they start after the tap
            TopologyDeclarer.declareExchanges(rabbit, Topology.domainEvents(Cluster.QUEUE_SUFFIX));
            try (Channel channel = rabbit.createChannel()) {
                // durable, not exclusive: it keeps every event through the broker's restarts, read at the end
                channel.queueDeclare(VERIFIER_QUEUE, true, false, false, null);
                channel.queueBind(VERIFIER_QUEUE, "domain_events", "#");
                channel.queuePurge(VERIFIER_QUEUE);
            }
            Cluster cluster = new Cluster(root, logs);
            try {
                run(rabbit, cluster, seed, clientCount, length, scenario, run, root, logs);
            } finally {
                cluster.close();
                try (Channel channel = rabbit.createChannel()) {
                    channel.queueDelete(VERIFIER_QUEUE); // bound to '#', it would make every event routable
                }
                Cluster.deleteOwnQueues(rabbit);
            }
        }
    }

    private static void run(com.rabbitmq.client.Connection rabbit, Cluster cluster, long seed, int clientCount,
            Duration length, String scenario, String run, Path root, File logs) throws Exception {
        cluster.start(rabbit);
        History history = new History();
        Nemesis nemesis = new Nemesis(cluster);
        List<Nemesis.Planned> plan = scenario.isEmpty() ? nemesis.schedule(seed, length.toMillis())
                : nemesis.scenario(scenario);
        Clients clients = new Clients(cluster.orders().url(), history);
        CircuitPoller circuits = new CircuitPoller(cluster.orders().url(), history);
        circuits.start();
        clients.start(clientCount, seed);
        awaitOperations(history, 0, 40); // a healthy start to compare with
        nemesis.run(plan, history);
        cluster.toxiproxy.reset();
        awaitOperations(history, history.now(), 40); // and a healed end
        clients.stop();

        long healed = history.now();
        long confirmedAfter = untilAnOrderIsConfirmed(cluster.orders().url(), history) - healed;
        settle();
        circuits.finish();

        Map<String, List<JsonNode>> events = readBack(rabbit);
        Checker checker = new Checker(history);
        checker.checkDatabases();
        checker.checkEvents(events);
        checker.checkCircuit("payment-service", events.getOrDefault("payment-service", List.of()),
                circuits.readings());
        checker.checkLiveness(confirmedAfter, HEAL_LIMIT_MILLIS);
        List<Checker.Violation> violations = checker.violations();

        String name = run.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "").toLowerCase();
        String markdown = Report.markdown(run, seed, clientCount, history, violations, confirmedAfter,
                name + ".svg");
        String svg = Report.timeline(history);
        Report.write(logs.toPath().resolve(name + ".md"), markdown);
        Report.write(logs.toPath().resolve(name + ".svg"), svg);
        if (Boolean.getBoolean("chaos.docs")) {
            Report.write(root.resolve("docs/chaos/" + name + ".md"), markdown);
            Report.write(root.resolve("docs/chaos/" + name + ".svg"), svg);
        }
        System.out.println(markdown);
        assertThat(history.faults()).as("faults that ran and healed").allMatch(f -> f.healedMillis() >= 0)
                .hasSize(plan.size());
        Set<String> classes = new HashSet<>();
        history.faults().forEach(f -> classes.add(f.fault()));
        if (scenario.isEmpty()) {
            assertThat(classes).as("every fault class at least once").containsAll(nemesis.names());
        }
        assertThat(violations).as("violations (see %s)", logs).isEmpty();
    }

    /** Waits (bounded) until the clients have completed this many operations invoked since {@code fromMillis}. */
    private static void awaitOperations(History history, long fromMillis, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                history.ops().stream().filter(op -> op.invokedMillis() >= fromMillis).count() >= count);
    }

    /** Places a payable order every half second until one is confirmed; returns when, on the history's clock. */
    private static long untilAnOrderIsConfirmed(String orderService, History history) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        AtomicInteger attempt = new AtomicInteger();
        try {
            Awaitility.await().atMost(Duration.ofMillis(HEAL_LIMIT_MILLIS * 2)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(orderService
                                + "/orders")).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":1,\"currency\":\"EUR\","
                                        + "\"items\":[{\"sku\":\"JEPSEN-HEAL-" + attempt.incrementAndGet()
                                        + "\",\"quantity\":1,\"unitPrice\":5}]}"))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        return response.statusCode() == 201
                                && JSON.readTree(response.body()).path("status").asText().equals("CONFIRMED");
                    });
            return history.now();
        } catch (ConditionTimeoutException e) {
            return -1;
        }
    }

    /** Waits (bounded) until recovery, the outboxes and reconciliation have finished; the checker judges the rest. */
    private static void settle() {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    count(Cluster.ORDERS_DB, "select count(*) from orders where status = 'PENDING'") == 0
                            && count(Cluster.ORDERS_DB, "select count(*) from outbox where published_at is null") == 0
                            && count(Cluster.PAYMENTS_DB, "select count(*) from outbox where published_at is null") == 0
                            && keptForCancelled() == 0);
        } catch (ConditionTimeoutException e) {
            System.out.println("chaos: the system did not settle in 120 s; the checker says what is left");
        }
    }

    private static long keptForCancelled() throws SQLException {
        Set<String> cancelled = new HashSet<>();
        try (Connection c = LocalBackends.connect(Cluster.ORDERS_DB); ResultSet rs = c.createStatement()
                .executeQuery("select id::text from orders where status = 'CANCELLED'")) {
            while (rs.next()) {
                cancelled.add(rs.getString(1));
            }
        }
        long kept = 0;
        try (Connection c = LocalBackends.connect(Cluster.PAYMENTS_DB); ResultSet rs = c.createStatement()
                .executeQuery("select order_id::text from payment where status = 'COMPLETED'")) {
            while (rs.next()) {
                kept += cancelled.contains(rs.getString(1)) ? 1 : 0;
            }
        }
        return kept;
    }

    private static long count(String db, String sql) throws SQLException {
        try (Connection c = LocalBackends.connect(db); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every event the verifier's queue collected, by subject (the order id; the downstream for circuit events). */
    private static Map<String, List<JsonNode>> readBack(com.rabbitmq.client.Connection rabbit) throws Exception {
        Map<String, List<JsonNode>> bySubject = new LinkedHashMap<>();
        try (Channel channel = rabbit.createChannel()) {
            GetResponse message;
            while ((message = channel.basicGet(VERIFIER_QUEUE, true)) != null) {
                JsonNode event;
                try {
                    event = JSON.readTree(message.getBody());
                } catch (java.io.IOException e) {
                    // not an envelope at all: the checker reports it with what it was
                    event = JSON.createObjectNode().put("malformed", message.getEnvelope().getRoutingKey() + " "
                            + message.getProps().getContentType() + " " + message.getProps().getHeaders() + ": "
                            + new String(message.getBody(), java.nio.charset.StandardCharsets.ISO_8859_1)
                                    .chars().limit(300).mapToObj(c -> c < 32 ? String.format("\\x%02x", c)
                                            : String.valueOf((char) c)).collect(java.util.stream.Collectors.joining()));
                }
                bySubject.computeIfAbsent(event.path("subject").asText(), k -> new ArrayList<>()).add(event);
            }
        }
        return bySubject;
    }
}
