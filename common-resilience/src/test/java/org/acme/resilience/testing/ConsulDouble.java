package org.acme.resilience.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A test double of the Consul agent HTTP API, limited to what the services use, and faithful to it there. Its answers
 * are held to HashiCorp's own fixtures by {@code ConsulDoubleContractTest}.
 *
 * <h2>Contract</h2>
 * <ul>
 * <li>ACLs on, default policy deny, as every real deployment: the token comes from {@code X-Consul-Token},
 * {@code Authorization: Bearer} or {@code ?token=}. An unknown token is {@code 403 ACL not found}; a write the token
 * may not do is {@code 403 Permission denied}; a read it may not do is filtered: {@code 200} without the entries, with
 * {@code X-Consul-Results-Filtered-By-ACLs: true} only for a token that is not anonymous (Consul hides even that from
 * anonymous callers). {@link #aclToken()} is the management token; {@link #addToken} adds narrower ones.</li>
 * <li>{@code GET /v1/acl/token/self}: the token's {@code AccessorID}, {@code SecretID}, {@code Description}; an
 * unknown or missing token is {@code 403 ACL not found}.</li>
 * <li>{@code PUT /v1/agent/service/register}: body as Consul takes it ({@code ID}, {@code Name}, {@code Tags},
 * {@code Address}, {@code Port}, {@code Meta}, {@code Check} or {@code Checks} with {@code HTTP}, {@code Interval},
 * {@code DeregisterCriticalServiceAfter}). {@code 400} for a body that is not JSON, a missing {@code Name}, an HTTP
 * check without an {@code Interval} or with a duration Consul cannot parse. Registering an existing ID replaces it. A
 * new HTTP check starts {@code critical}, as in Consul, until the double has run it.</li>
 * <li>{@code PUT /v1/agent/service/deregister/{id}}: removes the service; unknown ids are ignored (200), as Consul's
 * documentation says.</li>
 * <li>{@code GET /v1/agent/services}: the registered services as an object keyed by ID.</li>
 * <li>{@code GET /v1/health/service/{name}}: an array of {@code {Node, Service, Checks}} entries with Consul's fields;
 * with {@code ?passing} (any value but {@code false}/{@code 0}) only those whose checks all pass. Every answer carries
 * {@code X-Consul-Index}; with {@code ?index=N} greater or equal to it the answer waits (blocking query) until
 * something changes or {@code ?wait} (default 5 min, at most 10 min) passes.</li>
 * <li>HTTP checks are run every {@code Interval} (at least 1 s; GET, 2xx = {@code passing}, 429 = {@code warning},
 * anything else or no answer = {@code critical}). A service whose check has been critical for longer than its
 * {@code DeregisterCriticalServiceAfter} (at least 1 min) is removed by a reaper that runs every 30 s, as in Consul;
 * {@link #reapFast} lowers both, for tests only.</li>
 * <li>{@link #stop()} closes the port (clients see connection refused) and {@link #start()} opens it again; with
 * {@link #forget()} the double loses its registrations, as a restarted dev agent does; {@link #freeze()} accepts
 * requests but answers none until {@link #thaw()}, as a hung agent.</li>
 * </ul>
 * Not covered: datacenters, KV, sessions, catalog endpoints, ACL policies beyond service read/write by name prefix.
 */
public final class ConsulDouble implements ConsulAgent {

    public static final String PASSING = "passing";
    public static final String WARNING = "warning";
    public static final String CRITICAL = "critical";

    private static final Duration MIN_CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final Duration MAX_WAIT = Duration.ofMinutes(10);
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a token may do: read and write services whose names start with these prefixes ("" = all, null = none). */
    public record Token(String accessorId, String secretId, String description, String readPrefix, String writePrefix) {

        boolean mayRead(String service) {
            return may(readPrefix, service) || mayWrite(service);
        }

        boolean mayWrite(String service) {
            return may(writePrefix, service);
        }

        private static boolean may(String prefix, String service) {
            return prefix != null && service.startsWith(prefix);
        }
    }

    /** A request as the double received it, for tests that check what a client sent. */
    public record Request(String method, String path, String token, String body) {
    }

    /** One registered service instance, with the body it was registered with. */
    public static final class Instance {
        public final String id;
        public final String name;
        public final String address;
        public final int port;
        public final List<String> tags;
        public final String checkHttp;
        public final Duration checkInterval;
        public final Duration deregisterAfter;
        public final JsonNode body;
        final long createIndex;
        volatile String status;
        volatile long criticalSinceNanos = System.nanoTime();
        volatile long lastCheckedNanos;
        volatile boolean checkedOnce;

        Instance(JsonNode body, long index, Duration minimumDeregisterAfter) {
            this.body = body;
            this.createIndex = index;
            this.name = body.path("Name").asText();
            this.id = body.hasNonNull("ID") && !body.get("ID").asText().isEmpty() ? body.get("ID").asText() : name;
            this.address = body.path("Address").asText("");
            this.port = body.path("Port").asInt();
            List<String> t = new ArrayList<>();
            body.path("Tags").forEach(n -> t.add(n.asText()));
            this.tags = List.copyOf(t);
            JsonNode check = check(body);
            this.checkHttp = check == null ? null : check.path("HTTP").asText(null);
            Duration interval = check == null ? null : duration(check.path("Interval").asText(""));
            this.checkInterval = interval == null || interval.compareTo(MIN_CHECK_INTERVAL) < 0 ? MIN_CHECK_INTERVAL
                    : interval;
            Duration after = check == null ? null : duration(check.path("DeregisterCriticalServiceAfter").asText(""));
            this.deregisterAfter = after == null ? null
                    : after.compareTo(minimumDeregisterAfter) < 0 ? minimumDeregisterAfter : after;
            this.status = check == null ? PASSING : CRITICAL;
        }

        public String status() {
            return status;
        }

        static JsonNode check(JsonNode body) {
            if (body.hasNonNull("Check")) {
                return body.get("Check");
            }
            return body.path("Checks").isArray() && body.path("Checks").size() > 0 ? body.get("Checks").get(0) : null;
        }
    }

    private final int port;
    private final Map<String, Instance> instances = new ConcurrentHashMap<>();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Token management;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final HttpClient checker = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread thread = new Thread(r, "consul-double-checks");
        thread.setDaemon(true);
        return thread;
    });
    private final Object changes = new Object();
    private long index = 1;
    private volatile Duration minimumDeregisterAfter = Duration.ofMinutes(1);
    private volatile boolean frozen;
    private volatile HttpServer server;
    private volatile ExecutorService handlers;
    private ScheduledFuture<?> reaper;

    public ConsulDouble() {
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        management = addToken("initial management token", "", "");
        scheduler.scheduleWithFixedDelay(this::runChecks, 100, 100, TimeUnit.MILLISECONDS);
        scheduleReaper(Duration.ofSeconds(30));
    }

    /**
     * Test-only switch: reaps every {@code interval} and accepts a {@code DeregisterCriticalServiceAfter} down to
     * {@code minimum}, instead of Consul's 30 s and 1 min, so a test of reaping takes seconds.
     */
    public ConsulDouble reapFast(Duration interval, Duration minimum) {
        minimumDeregisterAfter = minimum;
        scheduleReaper(interval);
        return this;
    }

    private synchronized void scheduleReaper(Duration interval) {
        if (reaper != null) {
            reaper.cancel(false);
        }
        reaper = scheduler.scheduleWithFixedDelay(this::reap, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Adds a token that may read services named {@code readPrefix}… and write those named {@code writePrefix}…. */
    public Token addToken(String description, String readPrefix, String writePrefix) {
        Token token = new Token(UUID.randomUUID().toString(), UUID.randomUUID().toString(), description, readPrefix,
                writePrefix);
        tokens.put(token.secretId(), token);
        return token;
    }

    @Override
    public String aclToken() {
        return management.secretId();
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
        // blocking queries hold a thread each
        handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        server.start();
        return this;
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            thaw();
            server.stop(0);
            handlers.shutdownNow();
            server = null;
        }
    }

    @Override
    public void forget() {
        instances.clear();
        changed();
    }

    @Override
    public void freeze() {
        frozen = true;
    }

    @Override
    public void thaw() {
        frozen = false;
        synchronized (changes) {
            changes.notifyAll();
        }
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

    /** Every request received so far, oldest first. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void changed() {
        synchronized (changes) {
            index++;
            changes.notifyAll();
        }
    }

    private long index() {
        synchronized (changes) {
            return index;
        }
    }

    private void runChecks() {
        long now = System.nanoTime();
        for (Instance instance : instances.values()) {
            if (instance.checkHttp == null
                    || (instance.checkedOnce && now - instance.lastCheckedNanos < instance.checkInterval.toNanos())) {
                continue;
            }
            instance.lastCheckedNanos = now;
            instance.checkedOnce = true;
            String status;
            try {
                int code = checker.send(HttpRequest.newBuilder(URI.create(instance.checkHttp))
                        .timeout(Duration.ofSeconds(1)).GET().build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                status = code / 100 == 2 ? PASSING : code == 429 ? WARNING : CRITICAL;
            } catch (IOException | IllegalArgumentException e) {
                status = CRITICAL;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!status.equals(instance.status)) {
                if (CRITICAL.equals(status)) {
                    instance.criticalSinceNanos = System.nanoTime();
                }
                instance.status = status;
                changed();
            }
        }
    }

    private void reap() {
        long now = System.nanoTime();
        if (instances.values().removeIf(i -> i.deregisterAfter != null && CRITICAL.equals(i.status)
                && now - i.criticalSinceNanos >= i.deregisterAfter.toNanos())) {
            changed();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            while (frozen) {
                synchronized (changes) {
                    changes.wait(100);
                }
            }
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String secret = token(exchange, query);
            requests.add(new Request(method, path, secret, body));
            Token token = secret == null ? null : tokens.get(secret);
            if (secret != null && token == null) {
                respond(exchange, 403, "ACL not found");
            } else if ("GET".equals(method) && path.equals("/v1/acl/token/self")) {
                tokenSelf(exchange, token);
            } else if ("PUT".equals(method) && path.equals("/v1/agent/service/register")) {
                register(exchange, token, body);
            } else if ("PUT".equals(method) && path.startsWith("/v1/agent/service/deregister/")) {
                deregister(exchange, token, path.substring("/v1/agent/service/deregister/".length()));
            } else if ("GET".equals(method) && path.equals("/v1/agent/services")) {
                agentServices(exchange, token);
            } else if ("GET".equals(method) && path.startsWith("/v1/health/service/")) {
                health(exchange, token, path.substring("/v1/health/service/".length()), query);
            } else {
                respond(exchange, 404, "no such endpoint in the Consul double: " + method + " " + path);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            respond(exchange, 500, String.valueOf(e.getMessage()));
        }
    }

    private void tokenSelf(HttpExchange exchange, Token token) throws IOException {
        if (token == null) {
            respond(exchange, 403, "ACL not found");
            return;
        }
        respond(exchange, 200, JSON.createObjectNode().put("AccessorID", token.accessorId())
                .put("SecretID", token.secretId()).put("Description", token.description()).toString());
    }

    private void register(HttpExchange exchange, Token token, String body) throws IOException {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            respond(exchange, 400, "Request decode failed: " + e.getOriginalMessage());
            return;
        }
        if (json == null || !json.isObject()) {
            respond(exchange, 400, "Request decode failed: not a JSON object");
            return;
        }
        String name = json.path("Name").asText("");
        if (name.isEmpty()) {
            respond(exchange, 400, "Missing service name");
            return;
        }
        String invalid = invalidCheck(Instance.check(json));
        if (invalid != null) {
            respond(exchange, 400, invalid);
            return;
        }
        if (token == null || !token.mayWrite(name)) {
            denied(exchange, token, "service:write", name);
            return;
        }
        Instance instance = new Instance(json, index(), minimumDeregisterAfter);
        instances.put(instance.id, instance);
        changed();
        respond(exchange, 200, "");
    }

    private static String invalidCheck(JsonNode check) {
        if (check == null) {
            return null;
        }
        for (String field : List.of("Interval", "Timeout", "DeregisterCriticalServiceAfter")) {
            String value = check.path(field).asText("");
            if (!value.isEmpty() && duration(value) == null) {
                return "Request decode failed: " + field + ": time: invalid duration \"" + value + "\"";
            }
        }
        boolean needsInterval = check.hasNonNull("HTTP") || check.hasNonNull("TCP");
        if (needsInterval && check.path("Interval").asText("").isEmpty()) {
            return "Invalid check: Interval must be > 0 for Script, HTTP, H2PING, TCP or UDP checks";
        }
        return null;
    }

    private void deregister(HttpExchange exchange, Token token, String id) throws IOException {
        Instance instance = instances.get(id);
        String name = instance == null ? id : instance.name;
        if (token == null || !token.mayWrite(name)) {
            denied(exchange, token, "service:write", name);
            return;
        }
        if (instances.remove(id) != null) {
            changed();
        }
        respond(exchange, 200, "");
    }

    private void agentServices(HttpExchange exchange, Token token) throws IOException {
        ObjectNode services = JSON.createObjectNode();
        boolean filtered = false;
        for (Instance i : instances.values()) {
            if (token != null && token.mayRead(i.name)) {
                services.set(i.id, service(i));
            } else {
                filtered = true;
            }
        }
        if (filtered && token != null) {
            exchange.getResponseHeaders().add("X-Consul-Results-Filtered-By-ACLs", "true");
        }
        respond(exchange, 200, services.toString());
    }

    private void health(HttpExchange exchange, Token token, String name, Map<String, String> query)
            throws IOException, InterruptedException {
        long seen = parseLong(query.get("index"));
        if (seen > 0) {
            Duration wait = query.containsKey("wait") ? duration(query.get("wait")) : Duration.ofMinutes(5);
            long deadline = System.nanoTime() + min(wait == null ? Duration.ofMinutes(5) : wait, MAX_WAIT).toNanos();
            synchronized (changes) {
                while (index <= seen && System.nanoTime() < deadline && server != null) {
                    changes.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                }
            }
        }
        String passing = query.get("passing");
        boolean passingOnly = passing != null && !passing.equals("false") && !passing.equals("0");
        ArrayNode entries = JSON.createArrayNode();
        boolean filtered = false;
        for (Instance i : instancesOf(name)) {
            if (passingOnly && !PASSING.equals(i.status)) {
                continue;
            }
            if (token == null || !token.mayRead(name)) {
                filtered = true;
                continue;
            }
            entries.add(entry(i));
        }
        if (filtered && token != null) {
            exchange.getResponseHeaders().add("X-Consul-Results-Filtered-By-ACLs", "true");
        }
        exchange.getResponseHeaders().add("X-Consul-Index", String.valueOf(index()));
        exchange.getResponseHeaders().add("X-Consul-KnownLeader", "true");
        exchange.getResponseHeaders().add("X-Consul-LastContact", "0");
        exchange.getResponseHeaders().add("X-Consul-Default-ACL-Policy", "deny");
        respond(exchange, 200, entries.toString());
    }

    private static ObjectNode entry(Instance i) {
        ObjectNode entry = JSON.createObjectNode();
        ObjectNode node = entry.putObject("Node").put("ID", "7037e928-d9e8-3b58-4712-6f5ded209002")
                .put("Node", "consul-double").put("Address", "127.0.0.1").put("Datacenter", "dc1");
        node.putObject("TaggedAddresses").put("lan", "127.0.0.1").put("wan", "127.0.0.1");
        node.putObject("Meta").put("consul-network-segment", "");
        node.put("CreateIndex", 1).put("ModifyIndex", 1);
        entry.set("Service", service(i));
        ObjectNode check = entry.putArray("Checks").addObject();
        check.put("Node", "consul-double").put("CheckID", "service:" + i.id)
                .put("Name", "Service '" + i.name + "' check").put("Type", i.checkHttp == null ? "" : "http")
                .put("Status", i.status).put("Notes", "").put("Output", "").put("ServiceID", i.id)
                .put("ServiceName", i.name);
        ArrayNode tags = check.putArray("ServiceTags");
        i.tags.forEach(tags::add);
        ObjectNode definition = check.putObject("Definition");
        if (i.checkHttp != null) {
            definition.put("HTTP", i.checkHttp).put("Interval", i.checkInterval.toSeconds() + "s");
        }
        check.put("CreateIndex", i.createIndex).put("ModifyIndex", i.createIndex);
        return entry;
    }

    private static ObjectNode service(Instance i) {
        ObjectNode service = JSON.createObjectNode().put("ID", i.id).put("Service", i.name);
        ArrayNode tags = service.putArray("Tags");
        i.tags.forEach(tags::add);
        service.set("Meta", i.body.hasNonNull("Meta") ? i.body.get("Meta") : JSON.createObjectNode());
        service.put("Address", i.address).put("Port", i.port);
        service.putObject("Proxy");
        service.put("ProxyDestination", "").put("EnableTagOverride", false)
                .put("CreateIndex", i.createIndex).put("ModifyIndex", i.createIndex);
        return service;
    }

    private static void denied(HttpExchange exchange, Token token, String permission, String name)
            throws IOException {
        String accessor = token == null ? "00000000-0000-0000-0000-000000000002" : token.accessorId();
        respond(exchange, 403, "Permission denied: token with AccessorID '" + accessor + "' lacks permission '"
                + permission + "' on \"" + name + "\"");
    }

    private static String token(HttpExchange exchange, Map<String, String> query) {
        String header = exchange.getRequestHeaders().getFirst("X-Consul-Token");
        if (header != null && !header.isEmpty()) {
            return header;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.startsWith("Bearer ")) {
            return authorization.substring("Bearer ".length());
        }
        String param = query.get("token");
        return param == null || param.isEmpty() ? null : param;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                params.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type",
                status == 200 ? "application/json" : "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static long parseLong(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** A Go duration ("10s", "1m30s", "500ms"), as Consul parses them; null if it is not one. */
    static Duration duration(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION_PART.matcher(value);
        double nanos = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return null;
            }
            end = m.end();
            double n = Double.parseDouble(m.group(1));
            nanos += n * switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
        }
        return end == value.length() && end > 0 ? Duration.ofNanos((long) nanos) : null;
    }
}
