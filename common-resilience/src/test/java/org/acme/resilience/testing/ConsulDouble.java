package org.acme.resilience.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A test double of the Consul agent HTTP API, limited to what the services use, and faithful to it there.
 *
 * <h2>Contract</h2>
 * <ul>
 * <li>{@code PUT /v1/agent/service/register}: body as Consul takes it ({@code ID}, {@code Name}, {@code Tags},
 * {@code Address}, {@code Port}, {@code Check} or {@code Checks} with {@code HTTP}, {@code Interval},
 * {@code DeregisterCriticalServiceAfter}). Registering an existing ID replaces it. A new HTTP check starts
 * {@code critical}, as in Consul, until the double has run it.</li>
 * <li>{@code PUT /v1/agent/service/deregister/{id}}: removes the service; unknown ids are ignored (200), as in
 * Consul.</li>
 * <li>{@code GET /v1/agent/services}: the registered services as an object keyed by ID ({@code ID}, {@code Service},
 * {@code Tags}, {@code Address}, {@code Port}, {@code Meta}).</li>
 * <li>{@code GET /v1/health/service/{name}}: an array of {@code {Node, Service, Checks}} entries; with
 * {@code ?passing} (any value but {@code false}/{@code 0}) only those whose checks all pass.</li>
 * <li>HTTP checks are run by the double every {@code Interval} (GET, 2xx = {@code passing}, anything else or no
 * answer = {@code critical}), as the agent does.</li>
 * <li>{@link #stop()} closes the port (clients see connection refused) and {@link #start()} opens it again; with
 * {@link #forget()} the double loses its registrations, as a restarted dev agent does.</li>
 * </ul>
 * Not covered: blocking queries ({@code index}), datacenters, KV, sessions, catalog endpoints, ACL enforcement.
 */
public final class ConsulDouble implements ConsulAgent {

    public static final String PASSING = "passing";
    public static final String CRITICAL = "critical";

    /** One registered service instance, with the body it was registered with. */
    public static final class Instance {
        public final String id;
        public final String name;
        public final String address;
        public final int port;
        public final List<String> tags;
        public final String checkHttp;
        public final String checkInterval;
        public final String deregisterAfter;
        public final JsonNode body;
        volatile String status;
        volatile Instant lastChecked = Instant.EPOCH;

        Instance(JsonNode body) {
            this.body = body;
            this.name = body.path("Name").asText();
            this.id = body.hasNonNull("ID") ? body.get("ID").asText() : name;
            this.address = body.path("Address").asText("127.0.0.1");
            this.port = body.path("Port").asInt();
            List<String> t = new ArrayList<>();
            body.path("Tags").forEach(n -> t.add(n.asText()));
            this.tags = List.copyOf(t);
            JsonNode check = body.has("Check") ? body.get("Check")
                    : body.path("Checks").isArray() && body.path("Checks").size() > 0 ? body.get("Checks").get(0)
                            : null;
            this.checkHttp = check == null ? null : check.path("HTTP").asText(null);
            this.checkInterval = check == null ? null : check.path("Interval").asText(null);
            this.deregisterAfter = check == null ? null : check.path("DeregisterCriticalServiceAfter").asText(null);
            this.status = check == null ? PASSING : CRITICAL;
        }

        public String status() {
            return status;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final Map<String, Instance> instances = new ConcurrentHashMap<>();
    private final HttpClient checker = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "consul-double-checks");
        thread.setDaemon(true);
        return thread;
    });
    private volatile HttpServer server;

    public ConsulDouble() {
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        scheduler.scheduleWithFixedDelay(this::runChecks, 100, 100, TimeUnit.MILLISECONDS);
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public synchronized ConsulDouble start() {
        if (server != null) {
            return this;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + port, e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return this;
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    @Override
    public void forget() {
        instances.clear();
    }

    @Override
    public void close() {
        stop();
        scheduler.shutdownNow();
    }

    public Map<String, Instance> instances() {
        return Map.copyOf(instances);
    }

    public List<Instance> instancesOf(String name) {
        return instances.values().stream().filter(i -> i.name.equals(name)).toList();
    }

    private void runChecks() {
        Instant now = Instant.now();
        for (Instance instance : instances.values()) {
            if (instance.checkHttp == null) {
                continue;
            }
            Duration interval = parse(instance.checkInterval);
            if (Duration.between(instance.lastChecked, now).compareTo(interval) < 0) {
                continue;
            }
            instance.lastChecked = now;
            try {
                HttpResponse<Void> response = checker.send(HttpRequest.newBuilder(URI.create(instance.checkHttp))
                        .timeout(Duration.ofSeconds(1)).GET().build(), HttpResponse.BodyHandlers.discarding());
                instance.status = response.statusCode() / 100 == 2 ? PASSING : CRITICAL;
            } catch (IOException e) {
                instance.status = CRITICAL;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getQuery();
            if ("PUT".equals(method) && path.equals("/v1/agent/service/register")) {
                Instance instance = new Instance(JSON.readTree(exchange.getRequestBody()));
                instances.put(instance.id, instance);
                respond(exchange, 200, "");
            } else if ("PUT".equals(method) && path.startsWith("/v1/agent/service/deregister/")) {
                instances.remove(path.substring("/v1/agent/service/deregister/".length()));
                respond(exchange, 200, "");
            } else if ("GET".equals(method) && path.equals("/v1/agent/services")) {
                ObjectNode services = JSON.createObjectNode();
                instances.values().forEach(i -> services.set(i.id, service(i)));
                respond(exchange, 200, JSON.writeValueAsString(services));
            } else if ("GET".equals(method) && path.startsWith("/v1/health/service/")) {
                String name = path.substring("/v1/health/service/".length());
                boolean passingOnly = query != null && List.of(query.split("&")).stream()
                        .anyMatch(p -> p.equals("passing") || (p.startsWith("passing=") && !p.equals("passing=false")
                                && !p.equals("passing=0")));
                ArrayNode entries = JSON.createArrayNode();
                for (Instance i : instancesOf(name)) {
                    if (passingOnly && !PASSING.equals(i.status)) {
                        continue;
                    }
                    ObjectNode entry = entries.addObject();
                    entry.putObject("Node").put("ID", "double-node").put("Node", "consul-double")
                            .put("Address", "127.0.0.1").put("Datacenter", "dc1");
                    entry.set("Service", service(i));
                    ObjectNode check = entry.putArray("Checks").addObject();
                    check.put("Node", "consul-double").put("CheckID", "service:" + i.id)
                            .put("Name", "Service '" + i.name + "' check").put("Status", i.status)
                            .put("ServiceID", i.id).put("ServiceName", i.name);
                }
                exchange.getResponseHeaders().add("X-Consul-Index", "1");
                respond(exchange, 200, JSON.writeValueAsString(entries));
            } else {
                respond(exchange, 404, "no such endpoint in the Consul double: " + method + " " + path);
            }
        } catch (RuntimeException e) {
            respond(exchange, 500, String.valueOf(e.getMessage()));
        }
    }

    private static ObjectNode service(Instance i) {
        ObjectNode service = JSON.createObjectNode().put("ID", i.id).put("Service", i.name)
                .put("Address", i.address).put("Port", i.port);
        ArrayNode tags = service.putArray("Tags");
        i.tags.forEach(tags::add);
        service.putObject("Meta");
        return service;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Duration parse(String consulDuration) {
        if (consulDuration == null) {
            return Duration.ofSeconds(10);
        }
        String d = consulDuration.trim();
        if (d.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(d.substring(0, d.length() - 2)));
        }
        if (d.endsWith("s")) {
            return Duration.ofMillis((long) (Double.parseDouble(d.substring(0, d.length() - 1)) * 1000));
        }
        if (d.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(d.substring(0, d.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(d));
    }
}
