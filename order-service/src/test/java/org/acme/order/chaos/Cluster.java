package org.acme.order.chaos;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.acme.resilience.testing.ConsulDouble;
import org.acme.resilience.testing.ConsulHttp;
import org.acme.resilience.testing.LocalBackends;
import org.acme.resilience.testing.faults.FaultProxy;
import org.acme.resilience.testing.faults.Toxiproxy;
import org.acme.resilience.topology.Topology;
import org.acme.resilience.topology.TopologyDeclarer;
import org.awaitility.Awaitility;

/**
 * The system under test: two instances of user-service and of payment-service, one of order-service, each a separate
 * process of its packaged jar, found through Consul (the double), on the real PostgreSQL and RabbitMQ, with a fault
 * proxy on every link: each instance reaches PostgreSQL and RabbitMQ through its own proxy, and is itself reached
 * (by order-service and by Consul's check) through a proxy whose port it advertises in Consul.
 *
 * <p>One order-service: it owns the saga's recovery and reconciliation jobs, which are not yet proven safe at two
 * replicas (that is the Kubernetes issue's work); its crash and restart are among the faults instead.
 */
final class Cluster implements AutoCloseable {

    static final String QUEUE_SUFFIX = ".jepsen";
    static final String ORDERS_DB = "jepsen_orders";
    static final String PAYMENTS_DB = "jepsen_payments";
    static final String USERS_DB = "jepsen_users";
    static final String SERVICE_TOKEN = "jepsen-service-token";

    final ConsulDouble consul = new ConsulDouble();
    final Toxiproxy toxiproxy;
    /** Packet-level cuts on loopback, for what a proxy cannot express. */
    final PacketFilter packets = new PacketFilter();
    private final FaultProxy ownProxy;
    /** Every process by its instance name: user-1, user-2, payment-1, payment-2, order-1. */
    final Map<String, ServiceProcess> instances = new LinkedHashMap<>();
    /** Every proxy name, by link: "<instance>-postgres", "<instance>-rabbitmq", "<instance>-http". */
    final List<String> links = new ArrayList<>();
    /** The port each link's proxy listens on, by link name. */
    final Map<String, Integer> linkPorts = new HashMap<>();
    private final Path root;
    private final File logs;

    Cluster(Path root, File logs) throws IOException {
        this.root = root;
        this.logs = logs;
        String external = System.getProperty("chaos.toxiproxy", "");
        ownProxy = external.isEmpty() ? FaultProxy.start(0) : null;
        toxiproxy = new Toxiproxy(external.isEmpty() ? ownProxy.url() : external);
    }

    ServiceProcess orders() {
        return instances.get("order-1");
    }

    void start(com.rabbitmq.client.Connection rabbit) throws Exception {
        for (String db : List.of(USERS_DB, ORDERS_DB, PAYMENTS_DB)) {
            recreateDatabase(db);
        }
        deleteOwnQueues(rabbit); // what an earlier run, or any test publishing on this broker, left in them
        TopologyDeclarer.apply(rabbit, Topology.domainEvents(QUEUE_SUFFIX));
        consul.start();
        toxiproxy.reset();
        define("user-1", "user-service", USERS_DB, true);
        define("user-2", "user-service", USERS_DB, true);
        define("payment-1", "payment-service", PAYMENTS_DB, true);
        define("payment-2", "payment-service", PAYMENTS_DB, true);
        define("order-1", "order-service", ORDERS_DB, false);
        for (ServiceProcess instance : instances.values()) {
            instance.start();
        }
        ConsulHttp api = new ConsulHttp(consul);
        Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                api.passing("user-service").size() == 2 && api.passing("payment-service").size() == 2);
    }

    private void define(String instance, String service, String db, boolean proxied) throws IOException {
        int httpPort = freePort();
        Map<String, String> env = new HashMap<>();
        env.put("DB_HOST", "127.0.0.1");
        env.put("DB_PORT", String.valueOf(link(instance + "-postgres", LocalBackends.PG_HOST,
                Integer.parseInt(LocalBackends.PG_PORT))));
        env.put("DB_NAME", db);
        env.put("DB_USER", LocalBackends.PG_USER);
        env.put("DB_PASSWORD", LocalBackends.PG_PASSWORD);
        env.put("RABBITMQ_HOST", "127.0.0.1");
        env.put("RABBITMQ_PORT", String.valueOf(link(instance + "-rabbitmq", LocalBackends.RABBIT_HOST,
                LocalBackends.RABBIT_PORT)));
        env.put("EVENTS_TOPOLOGY_QUEUE_SUFFIX", QUEUE_SUFFIX);
        env.put("DISCOVERY_TYPE", "consul");
        env.put("DISCOVERY_CONSUL_HOST", "127.0.0.1");
        env.put("DISCOVERY_CONSUL_PORT", String.valueOf(consul.port()));
        env.put("DISCOVERY_CONSUL_ACL_TOKEN", consul.aclToken()); // the double runs with ACLs on, default deny
        env.put("DISCOVERY_CONSUL_SERVICE_ADDRESS", "127.0.0.1");
        if (proxied) {
            env.put("DISCOVERY_CONSUL_SERVICE_PORT", String.valueOf(link(instance + "-http", "127.0.0.1", httpPort)));
        }
        env.put("DISCOVERY_CONSUL_CHECK_INTERVAL", "1s");
        env.put("DISCOVERY_CONSUL_VERIFY_INTERVAL", "2s");
        env.put("DISCOVERY_CONSUL_RETRY_MAX_DELAY", "1s");
        env.put("DISCOVERY_REFRESH_PERIOD", "1s");
        env.put("RESILIENCE_SERVICE_TOKEN", SERVICE_TOKEN);
        // The chaos settings: every breaker delay, retry horizon and saga deadline short enough for a fault to outlast
        env.put("RESILIENCE_DOWNSTREAM__PAYMENT_SERVICE__TIMEOUT", "1s");
        env.put("RESILIENCE_DOWNSTREAM__PAYMENT_SERVICE__RETRY_MAX_DURATION", "4s");
        env.put("RESILIENCE_DOWNSTREAM__PAYMENT_SERVICE__CIRCUIT_BREAKER_DELAY", "3s");
        env.put("RESILIENCE_DOWNSTREAM__USER_SERVICE__TIMEOUT", "500ms");
        env.put("RESILIENCE_DOWNSTREAM__USER_SERVICE__CIRCUIT_BREAKER_DELAY", "3s");
        env.put("ORDER_SAGA_STALE_AFTER", "15s");
        env.put("ORDER_SAGA_RECOVERY_INTERVAL", "2s");
        env.put("ORDER_RECONCILIATION_INTERVAL", "5s");
        env.put("ORDER_RECONCILIATION_SETTLE_AFTER", "10s");
        instances.put(instance, new ServiceProcess(instance, httpPort, jar(service), env,
                new File(logs, instance + ".log")));
    }

    /** A proxy from a fresh loopback port to the target; returns the port to use instead of the target's. */
    private int link(String name, String host, int port) throws IOException {
        int listen = freePort();
        toxiproxy.createProxy(name, "127.0.0.1:" + listen, host + ":" + port);
        links.add(name);
        linkPorts.put(name, listen);
        return listen;
    }

    @Override
    public void close() throws Exception {
        for (ServiceProcess instance : instances.values()) {
            instance.resume(); // a paused process cannot stop
            instance.stop();
        }
        for (String link : links) {
            toxiproxy.deleteProxy(link);
        }
        consul.close();
        packets.close();
        if (ownProxy != null) {
            ownProxy.close();
        }
    }

    /**
     * Deletes the harness's consumer, dead-letter and retry queues. They are bound to the shared {@code domain_events}
     * exchange, so between runs they collect every event any test on this broker publishes.
     */
    static void deleteOwnQueues(com.rabbitmq.client.Connection rabbit) throws Exception {
        Process list = new ProcessBuilder("rabbitmqctl", "list_queues", "--quiet", "--no-table-headers", "name")
                .redirectErrorStream(true).start();
        List<String> names = new String(list.getInputStream().readAllBytes()).lines().map(String::trim)
                .filter(name -> name.endsWith(QUEUE_SUFFIX) || name.contains(QUEUE_SUFFIX + ".")).toList();
        if (list.waitFor() != 0) {
            throw new IllegalStateException("rabbitmqctl list_queues failed: " + names);
        }
        try (com.rabbitmq.client.Channel channel = rabbit.createChannel()) {
            for (String name : names) {
                channel.queueDelete(name);
            }
        }
    }

    private Path jar(String service) {
        Path jar = root.resolve(service + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no packaged " + service + " at " + jar + ": run ./mvnw verify -Pchaos");
        }
        return jar;
    }

    private static void recreateDatabase(String db) throws SQLException {
        try (Connection c = LocalBackends.connect("postgres")) {
            c.createStatement().execute("drop database if exists " + db + " with (force)");
            c.createStatement().execute("create database " + db);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
