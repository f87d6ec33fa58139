package org.acme.order.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.acme.resilience.testing.ConsulAgent;
import org.acme.resilience.testing.LocalBackends;
import org.acme.resilience.topology.Topology;
import org.acme.resilience.topology.TopologyDeclarer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

/**
 * Proof under fire: the three services as separate processes (their packaged jars) on the real PostgreSQL and
 * RabbitMQ, finding each other through Consul (the double, or a real agent when {@code consul} is on the PATH), take a
 * stream of orders while payment-service, user-service and order-service are killed with -9 and restarted and RabbitMQ
 * is restarted. Afterwards nothing is stuck, nothing is charged twice or left charged for a cancelled order, the
 * events an independent consumer read back tell the same story as the databases, and the orders refused by the open
 * circuit did not wait for payment-service's timeout.
 *
 * <p>Run with {@code ./mvnw verify -Pchaos} (not part of the default build). Needs {@code rabbitmqctl}. Tagged
 * {@code chaos}, so Surefire never runs it, not even under a {@code -Dtest} filter: it restarts the machine's RabbitMQ.
 */
@Tag("chaos")
class ChaosIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String VERIFIER_QUEUE = "chaos.verifier";
    private static final String CHAOS_QUEUE_SUFFIX = ".chaos";
    private static final int ORDERS = 140;

    private static ConsulAgent consul;
    private static ServiceProcess users;
    private static ServiceProcess payments;
    private static ServiceProcess orders;
    private static com.rabbitmq.client.Connection rabbit;

    /** What the client saw for one POST /orders. */
    record Attempt(int index, int status, String orderId, String orderStatus, String reason, Duration took) {
    }

    @BeforeAll
    static void startSystem() throws Exception {
        Path root = Path.of(System.getProperty("chaos.root", "..")).toAbsolutePath().normalize();
        File logs = root.resolve("order-service/target/chaos").toFile();
        logs.mkdirs();
        for (String db : List.of("chaos_users", "chaos_orders", "chaos_payments")) {
            recreateDatabase(db);
        }
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(LocalBackends.RABBIT_HOST);
        factory.setPort(LocalBackends.RABBIT_PORT);
        factory.setAutomaticRecoveryEnabled(true);
        rabbit = factory.newConnection("chaos-verifier");
        try (Channel channel = rabbit.createChannel()) {
            // As every declarer does: the shared topology, with the consumer queues the services here will use.
            TopologyDeclarer.apply(rabbit, Topology.domainEvents(CHAOS_QUEUE_SUFFIX));
            // durable, not exclusive: it keeps every event through the RabbitMQ restart, read back at the end
            channel.queueDeclare(VERIFIER_QUEUE, true, false, false, null);
            channel.queueBind(VERIFIER_QUEUE, "domain_events", "#");
            channel.queuePurge(VERIFIER_QUEUE);
        }

        consul = ConsulAgent.create().start();
        Map<String, String> common = new HashMap<>();
        common.put("DB_HOST", LocalBackends.PG_HOST);
        common.put("DB_PORT", LocalBackends.PG_PORT);
        common.put("DB_USER", LocalBackends.PG_USER);
        common.put("DB_PASSWORD", LocalBackends.PG_PASSWORD);
        common.put("RABBITMQ_HOST", LocalBackends.RABBIT_HOST);
        common.put("RABBITMQ_PORT", String.valueOf(LocalBackends.RABBIT_PORT));
        common.put("EVENTS_TOPOLOGY_QUEUE_SUFFIX", CHAOS_QUEUE_SUFFIX);
        common.put("DISCOVERY_TYPE", "consul");
        common.put("DISCOVERY_CONSUL_HOST", "127.0.0.1");
        common.put("DISCOVERY_CONSUL_PORT", String.valueOf(consul.port()));
        common.put("DISCOVERY_CONSUL_ACL_TOKEN", consul.aclToken());
        common.put("DISCOVERY_CONSUL_SERVICE_ADDRESS", "127.0.0.1");
        common.put("DISCOVERY_CONSUL_CHECK_INTERVAL", "1s");
        common.put("DISCOVERY_CONSUL_VERIFY_INTERVAL", "2s");
        common.put("DISCOVERY_CONSUL_RETRY_MAX_DELAY", "1s");
        common.put("DISCOVERY_REFRESH_PERIOD", "1s");
        common.put("RESILIENCE_SERVICE_TOKEN", "chaos-service-token"); // or payment-service refuses every charge

        Map<String, String> userEnv = new HashMap<>(common);
        userEnv.put("DB_NAME", "chaos_users");
        Map<String, String> paymentEnv = new HashMap<>(common);
        paymentEnv.put("DB_NAME", "chaos_payments");
        Map<String, String> orderEnv = new HashMap<>(common);
        orderEnv.put("DB_NAME", "chaos_orders");
        orderEnv.put("RESILIENCE_DOWNSTREAM__PAYMENT_SERVICE__CIRCUIT_BREAKER_DELAY", "3s");
        orderEnv.put("RESILIENCE_DOWNSTREAM__USER_SERVICE__CIRCUIT_BREAKER_DELAY", "3s");
        orderEnv.put("ORDER_SAGA_STALE_AFTER", "15s");
        orderEnv.put("ORDER_SAGA_RECOVERY_INTERVAL", "2s");

        users = new ServiceProcess("user-service", freePort(), jar(root, "user-service"), userEnv,
                new File(logs, "user-service.log"));
        payments = new ServiceProcess("payment-service", freePort(), jar(root, "payment-service"), paymentEnv,
                new File(logs, "payment-service.log"));
        orders = new ServiceProcess("order-service", freePort(), jar(root, "order-service"), orderEnv,
                new File(logs, "order-service.log"));
        users.start();
        payments.start();
        orders.start();
        awaitPassing("user-service");
        awaitPassing("payment-service");
    }

    @AfterAll
    static void stopSystem() throws Exception {
        for (ServiceProcess p : new ServiceProcess[] { orders, payments, users }) {
            if (p != null) {
                p.stop();
            }
        }
        if (consul != null) {
            consul.close();
        }
        if (rabbit != null) {
            try (Channel channel = rabbit.createChannel()) {
                channel.queueDelete(VERIFIER_QUEUE);
            }
            rabbit.close();
        }
    }

    @Test
    void nothingIsLostChargedTwiceOrLeftHalfWayWhileEverythingIsKilledAndRestarted() throws Exception {
        List<Attempt> attempts = new ArrayList<>();
        CircuitPoller poller = new CircuitPoller(orders.url(), new History());
        poller.start();
        java.util.function.Supplier<List<String>> observed = () -> poller.changes("payment-service");
        int paymentKilledAt = -1;
        int paymentRestartedAt = -1;
        for (int i = 0; i < ORDERS; i++) {
            switch (i) {
                case 20 -> {
                    payments.kill();
                    paymentKilledAt = observed.get().size();
                }
                case 40 -> {
                    payments.start();
                    paymentRestartedAt = observed.get().size();
                }
                case 55 -> users.kill();
                case 70 -> users.start();
                case 85 -> orders.kill();
                case 88 -> orders.start();
                case 105 -> rabbitmqctl("stop_app");
                case 110 -> rabbitmqctl("start_app");
                default -> {
                }
            }
            attempts.add(placeOrder(i));
        }
        poller.finish();

        List<Attempt> accepted = attempts.stream().filter(a -> a.status() == 201).toList();
        System.out.printf("chaos: %d orders attempted, %d accepted (201), circuit states seen: %s%n",
                attempts.size(), accepted.size(), observed.get());
        assertThat(accepted.size()).isGreaterThan(ORDERS / 2);

        // quiescence: recovery has finished every saga, every outbox is empty, compensation has run
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() ->
                count("chaos_orders", "select count(*) from orders where status = 'PENDING'") == 0
                        && count("chaos_orders", "select count(*) from outbox where published_at is null") == 0
                        && count("chaos_payments", "select count(*) from outbox where published_at is null") == 0
                        && count("chaos_payments", "select count(*) from payment p where p.status = 'COMPLETED' "
                                + "and exists (select 1 from cancelled_order c where c.order_id = p.order_id)") == 0);

        Map<String, String> finalStatus = orderStatuses();
        for (Attempt a : accepted) {
            assertThat(finalStatus.get(a.orderId())).as("order %s", a.orderId()).isIn("CONFIRMED", "CANCELLED");
        }
        assertThat(finalStatus.values()).doesNotContain("PENDING");

        assertThat(count("chaos_payments",
                "select count(*) from (select order_id from payment group by order_id having count(*) > 1) twice"))
                .as("orders charged twice").isZero();
        Map<String, String> paymentStatus = paymentStatuses();
        for (Map.Entry<String, String> order : finalStatus.entrySet()) {
            String payment = paymentStatus.get(order.getKey());
            if (order.getValue().equals("CONFIRMED")) {
                assertThat(payment).as("payment of confirmed order %s", order.getKey()).isEqualTo("COMPLETED");
            } else {
                assertThat(payment).as("payment of cancelled order %s", order.getKey())
                        .isNotEqualTo("COMPLETED");
            }
        }

        Map<String, List<JsonNode>> events = readBackEvents();
        for (Map.Entry<String, String> order : finalStatus.entrySet()) {
            List<JsonNode> ofOrder = events.getOrDefault(order.getKey(), List.of());
            Set<String> created = ids(ofOrder, "order.created");
            Set<String> confirmed = ids(ofOrder, "order.confirmed");
            Set<String> cancelled = ids(ofOrder, "order.cancelled");
            assertThat(created).as("order.created of %s", order.getKey()).hasSize(1);
            if (order.getValue().equals("CONFIRMED")) {
                assertThat(confirmed).as("order.confirmed of %s", order.getKey()).hasSize(1);
                assertThat(cancelled).isEmpty();
            } else {
                assertThat(cancelled).as("order.cancelled of %s", order.getKey()).hasSize(1);
                assertThat(confirmed).isEmpty();
            }
            String payment = paymentStatus.get(order.getKey());
            Set<String> completed = ids(ofOrder, "payment.completed");
            Set<String> refunded = ids(ofOrder, "payment.refunded");
            Set<String> declined = ids(ofOrder, "payment.declined");
            if (payment == null) {
                assertThat(completed).isEmpty();
            } else if (payment.equals("COMPLETED")) {
                assertThat(completed).hasSize(1);
                assertThat(refunded).isEmpty();
            } else if (payment.equals("REFUNDED")) {
                assertThat(completed).hasSize(1);
                assertThat(refunded).hasSize(1);
            } else {
                assertThat(declined).hasSize(1);
            }
        }

        List<String> states = observed.get();
        assertThat(states.subList(paymentKilledAt, paymentRestartedAt)).as("payment-service circuit after the kill")
                .contains("OPEN");
        assertThat(states.subList(paymentRestartedAt, states.size())).as("after the restart").contains("CLOSED");
        List<Attempt> rejectedByOpenCircuit = attempts.stream()
                .filter(a -> "payment-service unavailable: circuit open".equals(a.reason())).toList();
        assertThat(rejectedByOpenCircuit).as("orders answered while the circuit was open").isNotEmpty();
        // refused without touching the network: none of them waited as long as one attempt's timeout (3 s)
        assertThat(rejectedByOpenCircuit).allSatisfy(a -> assertThat(a.took()).isLessThan(Duration.ofSeconds(3)));
        System.out.printf("chaos: %d orders checked against the databases and %d event streams; "
                + "%d answered by the open circuit, slowest %s%n", finalStatus.size(), events.size(),
                rejectedByOpenCircuit.size(),
                rejectedByOpenCircuit.stream().map(Attempt::took).max(Duration::compareTo).orElseThrow());
    }

    private static Attempt placeOrder(int i) {
        long user = i % 2 == 0 ? 1 : 2;
        String price = i % 7 == 0 ? "1500" : "19.90";
        String body = "{\"userId\":" + user + ",\"currency\":\"EUR\",\"items\":[{\"sku\":\"CHAOS-" + i
                + "\",\"quantity\":1,\"unitPrice\":" + price + "}]}";
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(orders.url() + "/orders"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (response.statusCode() != 201) {
                return new Attempt(i, response.statusCode(), null, null, null, took);
            }
            JsonNode order = JSON.readTree(response.body());
            return new Attempt(i, 201, order.path("id").asText(), order.path("status").asText(),
                    order.path("reason").asText(null), took);
        } catch (IOException e) {
            return new Attempt(i, -1, null, null, e.getClass().getSimpleName(), Duration.ofNanos(System.nanoTime()
                    - start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every event the verifier queue collected, by subject (aggregate id). */
    private static Map<String, List<JsonNode>> readBackEvents() throws Exception {
        Map<String, List<JsonNode>> bySubject = new LinkedHashMap<>();
        try (Channel channel = rabbit.createChannel()) {
            GetResponse message;
            while ((message = channel.basicGet(VERIFIER_QUEUE, true)) != null) {
                JsonNode event = JSON.readTree(message.getBody());
                bySubject.computeIfAbsent(event.path("subject").asText(), k -> new ArrayList<>()).add(event);
            }
        }
        return bySubject;
    }

    private static Set<String> ids(List<JsonNode> events, String type) {
        Set<String> ids = new TreeSet<>();
        events.stream().filter(e -> type.equals(e.path("type").asText())).forEach(e -> ids.add(e.path("id").asText()));
        return ids;
    }

    private static Map<String, String> orderStatuses() throws SQLException {
        return statuses("chaos_orders", "select id::text, status from orders");
    }

    private static Map<String, String> paymentStatuses() throws SQLException {
        return statuses("chaos_payments", "select order_id::text, status from payment");
    }

    private static Map<String, String> statuses(String db, String sql) throws SQLException {
        Map<String, String> result = new HashMap<>();
        try (Connection c = LocalBackends.connect(db); ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                result.put(rs.getString(1), rs.getString(2));
            }
        }
        return result;
    }

    private static long count(String db, String sql) throws SQLException {
        try (Connection c = LocalBackends.connect(db); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void recreateDatabase(String db) throws SQLException {
        try (Connection c = LocalBackends.connect("postgres")) {
            c.createStatement().execute("drop database if exists " + db + " with (force)");
            c.createStatement().execute("create database " + db);
        }
    }

    private static void rabbitmqctl(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("rabbitmqctl", command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("rabbitmqctl " + command + " failed: " + output);
        }
        if (command.equals("start_app")) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                try (java.net.Socket ignored = new java.net.Socket(LocalBackends.RABBIT_HOST,
                        LocalBackends.RABBIT_PORT)) {
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    private static void awaitPassing(String service) {
        var api = new org.acme.resilience.testing.ConsulHttp(consul);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !api.passing(service).isEmpty());
    }

    private static Path jar(Path root, String service) {
        Path jar = root.resolve(service + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no packaged " + service + " at " + jar + ": run ./mvnw verify -Pchaos");
        }
        return jar;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
