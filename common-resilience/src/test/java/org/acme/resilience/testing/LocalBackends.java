package org.acme.resilience.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import org.acme.resilience.topology.Topology;
import org.acme.resilience.topology.TopologyDeclarer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a service under test at the real PostgreSQL and RabbitMQ on this machine (by default 127.0.0.1:5432, user
 * {@code postgres}, and 127.0.0.1:5672, guest/guest; override with {@code POSTGRES_HOST}, {@code POSTGRES_PORT},
 * {@code POSTGRES_USER}, {@code POSTGRES_PASSWORD}, {@code RABBITMQ_HOST}, {@code RABBITMQ_PORT}), creating the
 * service's test database when it does not exist yet.
 *
 * <p>Init arg {@code database}: the database to use. Init arg {@code rabbitmq-proxy=true}: reach RabbitMQ through a
 * {@link TcpProxy} that the test can cut and restore ({@link #rabbitProxy()}), to make the broker unreachable for the
 * service under test only; {@code postgres-proxy=true} does the same for PostgreSQL ({@link #postgresProxy()}), and
 * {@code postgres-down-at-start=true} ({@code rabbitmq-down-at-start=true}) cuts it (the broker's) before the service
 * starts.
 * {@code test-queues}: comma-separated queues of the service under test, emptied before it starts, so a test consumer
 * does not inherit what other runs on the same broker left for it, and deleted when its tests end: left bound to
 * {@code domain_events} without a consumer, a test queue would collect every event of whatever runs on that broker
 * later (the local system, a benchmark) without end.
 */
public class LocalBackends implements QuarkusTestResourceLifecycleManager {

    public static final String PG_HOST = env("POSTGRES_HOST", "127.0.0.1");
    public static final String PG_PORT = env("POSTGRES_PORT", "5432");
    public static final String PG_USER = env("POSTGRES_USER", "postgres");
    public static final String PG_PASSWORD = env("POSTGRES_PASSWORD", "");
    public static final String RABBIT_HOST = env("RABBITMQ_HOST", "127.0.0.1");
    public static final int RABBIT_PORT = Integer.parseInt(env("RABBITMQ_PORT", "5672"));

    private static TcpProxy rabbitProxy;
    private static TcpProxy postgresProxy;
    private boolean postgresDownAtStart;
    private boolean rabbitDownAtStart;

    private String database;
    private boolean proxied;
    private boolean postgresProxied;
    private String testQueues;

    /** The proxy in front of PostgreSQL, when the resource was started with {@code postgres-proxy=true}. */
    public static TcpProxy postgresProxy() {
        return postgresProxy;
    }

    /** The proxy in front of RabbitMQ, when the resource was started with {@code rabbitmq-proxy=true}. */
    public static TcpProxy rabbitProxy() {
        return rabbitProxy;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.get("database");
        proxied = Boolean.parseBoolean(initArgs.getOrDefault("rabbitmq-proxy", "false"));
        postgresProxied = Boolean.parseBoolean(initArgs.getOrDefault("postgres-proxy", "false"));
        postgresDownAtStart = Boolean.parseBoolean(initArgs.getOrDefault("postgres-down-at-start", "false"));
        rabbitDownAtStart = Boolean.parseBoolean(initArgs.getOrDefault("rabbitmq-down-at-start", "false"));
        testQueues = initArgs.getOrDefault("test-queues", "");
    }

    @Override
    public Map<String, String> start() {
        createDatabaseIfMissing(database);
        onQueues(testQueues, "test-purge", com.rabbitmq.client.Channel::queuePurge);
        String rabbitPort = String.valueOf(RABBIT_PORT);
        if (proxied) {
            try {
                rabbitProxy = new TcpProxy(RABBIT_HOST, RABBIT_PORT);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            rabbitPort = String.valueOf(rabbitProxy.port());
            if (rabbitDownAtStart) {
                try {
                    rabbitProxy.cut();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", jdbcUrl(database));
        if (postgresProxied) {
            try {
                postgresProxy = new TcpProxy(PG_HOST, Integer.parseInt(PG_PORT));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            config.put("quarkus.datasource.jdbc.url",
                    "jdbc:postgresql://127.0.0.1:" + postgresProxy.port() + "/" + database);
            if (postgresDownAtStart) {
                try {
                    postgresProxy.cut();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                config.put("quarkus.flyway.clean-at-start", "false"); // it would need the database that is away
            }
        }
        config.put("quarkus.datasource.username", PG_USER);
        config.put("quarkus.datasource.password", PG_PASSWORD);
        config.put("rabbitmq-host", RABBIT_HOST);
        config.put("rabbitmq-port", rabbitPort);
        config.put("rabbitmq-username", "guest");
        config.put("rabbitmq-password", "guest");
        return config;
    }

    @Override
    public void stop() {
        onQueues(testQueues, "test-cleanup", com.rabbitmq.client.Channel::queueDelete);
        // Every service applies the whole topology, so the test consumer queues of other services exist too: gone
        // with the test, they collect nothing until the next one declares them again.
        onQueues(String.join(",", TopologyDeclarer.queues(Topology.domainEvents(EventTap.TEST_QUEUE_SUFFIX))),
                "test-cleanup", com.rabbitmq.client.Channel::queueDelete);
        if (postgresProxy != null) {
            try {
                postgresProxy.close();
            } catch (java.io.IOException ignored) {
                // test is over
            }
            postgresProxy = null;
        }
        if (rabbitProxy != null) {
            try {
                rabbitProxy.close();
            } catch (java.io.IOException ignored) {
                // test is over
            }
            rabbitProxy = null;
        }
    }

    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + database;
    }

    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), PG_USER, PG_PASSWORD);
    }

    /** What a test does to each of its queues; a queue that does not exist is left alone. */
    private interface QueueAction {
        void apply(com.rabbitmq.client.Channel channel, String queue) throws java.io.IOException;
    }

    private static void onQueues(String queues, String connectionName, QueueAction action) {
        if (queues.isBlank()) {
            return;
        }
        com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
        factory.setHost(RABBIT_HOST);
        factory.setPort(RABBIT_PORT);
        try (com.rabbitmq.client.Connection connection = factory.newConnection(connectionName)) {
            for (String queue : queues.split(",")) {
                try (com.rabbitmq.client.Channel channel = connection.createChannel()) {
                    action.apply(channel, queue.trim());
                } catch (java.io.IOException notDeclared) {
                    // no such queue: nothing to do
                }
            }
        } catch (java.io.IOException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("RabbitMQ is needed by the tests: " + e.getMessage(), e);
        }
    }

    static void createDatabaseIfMissing(String database) {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("unexpected database name " + database);
        }
        try (Connection c = connect("postgres");
                var exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, database);
            if (!exists.executeQuery().next()) {
                try (var create = c.createStatement()) {
                    create.execute("create database " + database);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + PG_HOST + ":" + PG_PORT
                    + " is needed by the tests (start it, or set POSTGRES_HOST/POSTGRES_PORT): " + e.getMessage(), e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
