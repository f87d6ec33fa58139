package org.acme.resilience.testing.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A TCP fault proxy that answers the subset of <a href="https://github.com/Shopify/toxiproxy#http-api">Toxiproxy's
 * HTTP API</a> the chaos harness uses, so the harness drives this one where no Toxiproxy binary can be had and the
 * real one where it can ({@link Toxiproxy} speaks to either).
 *
 * <p>Endpoints: {@code GET /version}, {@code POST /reset}, {@code GET|POST /proxies}, {@code GET|POST|DELETE
 * /proxies/{proxy}}, {@code GET|POST /proxies/{proxy}/toxics}, {@code GET|DELETE /proxies/{proxy}/toxics/{toxic}}.
 * Toxics, with Toxiproxy's names and attributes: {@code latency} (latency, jitter ms), {@code timeout} (drops all
 * data; closes after timeout ms, never if 0: a blackhole), {@code reset_peer} (TCP RST after timeout ms),
 * {@code slow_close} (delay ms), {@code bandwidth} (rate KB/s); a disabled proxy ({@code enabled: false}) is down: it
 * closes every connection and refuses new ones. {@code stream} is {@code downstream} (to the client, the default) or
 * {@code upstream}; {@code toxicity} is the share of connections a toxic applies to. Listens on loopback only.
 */
public final class FaultProxy implements AutoCloseable {

    static final Set<String> TOXIC_TYPES = Set.of("latency", "timeout", "reset_peer", "slow_close", "bandwidth");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer api;
    private final Map<String, Link> links = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "fault-proxy-timers");
        thread.setDaemon(true);
        return thread;
    });

    private FaultProxy(HttpServer api) {
        this.api = api;
    }

    /** Starts the API on a loopback port (0: any free one). */
    public static FaultProxy start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        FaultProxy proxy = new FaultProxy(server);
        server.createContext("/", proxy::handle);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread thread = new Thread(r, "fault-proxy-api");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return proxy;
    }

    public String url() {
        return "http://127.0.0.1:" + api.getAddress().getPort();
    }

    @Override
    public void close() {
        api.stop(0);
        links.values().forEach(Link::disable);
        timers.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String[] path = exchange.getRequestURI().getPath().replaceAll("^/+|/+$", "").split("/");
            byte[] body = exchange.getRequestBody().readAllBytes();
            Answer answer = route(method, path, body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body));
            byte[] out = answer.body == null ? new byte[0] : JSON.writeValueAsBytes(answer.body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status, out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                exchange.getResponseBody().write(out);
            }
        } catch (IOException | RuntimeException e) {
            // a malformed body: Toxiproxy answers 400 with its error shape
            byte[] out = error(400, "bad request: " + e.getMessage()).body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(400, out.length);
            exchange.getResponseBody().write(out);
        }
    }

    private record Answer(int status, JsonNode body) {
    }

    private Answer route(String method, String[] path, JsonNode body) throws IOException {
        switch (path[0]) {
            case "version":
                return new Answer(200, JSON.valueToTree("fault-proxy (Toxiproxy API subset 2.x)"));
            case "reset":
                if (method.equals("POST")) {
                    links.values().forEach(Link::reset);
                    return new Answer(204, null);
                }
                break;
            case "proxies":
                return proxies(method, path, body);
            default:
        }
        return error(404, "not found");
    }

    private Answer proxies(String method, String[] path, JsonNode body) throws IOException {
        if (path.length == 1) {
            if (method.equals("GET")) {
                ObjectNode all = JSON.createObjectNode();
                links.values().forEach(link -> all.set(link.name, link.json()));
                return new Answer(200, all);
            }
            String name = body.path("name").asText("");
            if (name.isEmpty() || !body.hasNonNull("listen") || !body.hasNonNull("upstream")) {
                return error(400, "missing required field: name, listen and upstream");
            }
            if (links.containsKey(name)) {
                return error(409, "proxy already exists");
            }
            Link link = new Link(name, body.get("listen").asText(), body.get("upstream").asText());
            if (body.path("enabled").asBoolean(true)) {
                link.enable();
            }
            links.put(name, link);
            return new Answer(201, link.json());
        }
        Link link = links.get(path[1]);
        if (link == null) {
            return error(404, "proxy not found");
        }
        if (path.length == 2) {
            switch (method) {
                case "GET":
                    return new Answer(200, link.json());
                case "DELETE":
                    link.disable();
                    links.remove(link.name);
                    return new Answer(204, null);
                default:
                    if (body.has("upstream")) {
                        link.upstream = body.get("upstream").asText();
                    }
                    if (body.has("enabled")) {
                        if (body.get("enabled").asBoolean()) {
                            link.enable();
                        } else {
                            link.disable();
                        }
                    }
                    return new Answer(200, link.json());
            }
        }
        if (path.length == 3 && path[2].equals("toxics")) {
            if (method.equals("GET")) {
                ArrayNode all = JSON.createArrayNode();
                link.toxics.values().forEach(toxic -> all.add(toxic.json()));
                return new Answer(200, all);
            }
            String type = body.path("type").asText("");
            if (!TOXIC_TYPES.contains(type)) {
                return error(400, "invalid toxic type: " + type);
            }
            String stream = body.path("stream").asText("downstream");
            if (!stream.equals("downstream") && !stream.equals("upstream")) {
                return error(400, "stream must be upstream or downstream");
            }
            String name = body.path("name").asText(type + "_" + stream);
            if (link.toxics.containsKey(name)) {
                return error(409, "toxic already exists");
            }
            Map<String, Long> attributes = new LinkedHashMap<>();
            body.path("attributes").fields().forEachRemaining(f -> attributes.put(f.getKey(), f.getValue().asLong()));
            Toxic toxic = new Toxic(name, type, stream, body.path("toxicity").asDouble(1.0), attributes);
            link.add(toxic);
            return new Answer(200, toxic.json());
        }
        if (path.length == 4 && path[2].equals("toxics")) {
            Toxic toxic = link.toxics.get(path[3]);
            if (toxic == null) {
                return error(404, "toxic not found");
            }
            if (method.equals("DELETE")) {
                link.toxics.remove(toxic.name);
                return new Answer(204, null);
            }
            return new Answer(200, toxic.json());
        }
        return error(404, "not found");
    }

    private static Answer error(int status, String message) {
        ObjectNode body = JSON.createObjectNode().put("error", message).put("status", status);
        return new Answer(status, body);
    }

    record Toxic(String name, String type, String stream, double toxicity, Map<String, Long> attributes) {
        long attribute(String key) {
            return attributes.getOrDefault(key, 0L);
        }

        JsonNode json() {
            ObjectNode node = JSON.createObjectNode().put("name", name).put("type", type).put("stream", stream)
                    .put("toxicity", toxicity);
            node.set("attributes", JSON.valueToTree(attributes));
            return node;
        }
    }

    /** One proxy: a listening port forwarding to an upstream, with the toxics on it. */
    private final class Link {
        final String name;
        final String listen;
        volatile String upstream;
        final Map<String, Toxic> toxics = new ConcurrentHashMap<>();
        final Set<Connection> connections = ConcurrentHashMap.newKeySet();
        private ServerSocket server;

        Link(String name, String listen, String upstream) {
            this.name = name;
            this.listen = listen;
            this.upstream = upstream;
        }

        synchronized boolean enabled() {
            return server != null;
        }

        synchronized void enable() {
            if (server != null) {
                return;
            }
            InetSocketAddress address = address(listen);
            if (!address.getAddress().isLoopbackAddress()) {
                throw new IllegalArgumentException("listens on loopback only: " + listen);
            }
            try {
                ServerSocket listening = new ServerSocket();
                listening.setReuseAddress(true);
                listening.bind(address, 200);
                server = listening;
                Thread acceptor = new Thread(() -> accept(listening), "fault-proxy-" + name);
                acceptor.setDaemon(true);
                acceptor.start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot listen on " + listen + ": " + e.getMessage(), e);
            }
        }

        /** Down: closes every connection and refuses new ones. */
        synchronized void disable() {
            if (server != null) {
                closeQuietly(server);
                server = null;
            }
            connections.forEach(Connection::close);
        }

        void reset() {
            toxics.clear();
            enable();
        }

        void add(Toxic toxic) {
            toxics.put(toxic.name, toxic);
            connections.forEach(connection -> connection.arm(toxic));
        }

        JsonNode json() {
            ObjectNode node = JSON.createObjectNode().put("name", name).put("listen", listen)
                    .put("upstream", upstream).put("enabled", enabled());
            ArrayNode list = node.putArray("toxics");
            toxics.values().forEach(toxic -> list.add(toxic.json()));
            return node;
        }

        private void accept(ServerSocket listening) {
            while (!listening.isClosed()) {
                Socket client;
                try {
                    client = listening.accept();
                } catch (IOException e) {
                    return; // disabled
                }
                try {
                    InetSocketAddress target = address(upstream);
                    Socket server = new Socket();
                    server.connect(target, 2000);
                    Connection connection = new Connection(this, client, server);
                    connections.add(connection);
                    toxics.values().forEach(connection::arm);
                    connection.start();
                } catch (IOException | RuntimeException e) {
                    closeQuietly(client); // the upstream refused: so does the proxy; this loop goes on regardless
                }
            }
        }
    }

    /** One proxied connection: a pipe each way, each applying the toxics of its stream. */
    private final class Connection {
        final Link link;
        final Socket client;
        final Socket server;
        /** Whether each toxic (by name) applies to this connection, decided once by its toxicity. */
        final Map<String, Boolean> applies = new ConcurrentHashMap<>();
        final List<Stream> streams = new java.util.concurrent.CopyOnWriteArrayList<>();

        Connection(Link link, Socket client, Socket server) {
            this.link = link;
            this.client = client;
            this.server = server;
        }

        void start() {
            pipe(client, server, "upstream");
            pipe(server, client, "downstream");
        }

        boolean affectedBy(Toxic toxic) {
            return applies.computeIfAbsent(toxic.name, n -> ThreadLocalRandom.current().nextDouble() < toxic.toxicity);
        }

        /** Toxics that act on the connection itself rather than on the data: a timed close or reset. */
        void arm(Toxic toxic) {
            if (!affectedBy(toxic)) {
                return;
            }
            if (toxic.type.equals("reset_peer")) {
                timers.schedule(() -> {
                    if (link.toxics.get(toxic.name) == toxic) {
                        reset();
                    }
                }, toxic.attribute("timeout"), TimeUnit.MILLISECONDS);
            } else if (toxic.type.equals("timeout") && toxic.attribute("timeout") > 0) {
                timers.schedule(() -> {
                    if (link.toxics.get(toxic.name) == toxic) {
                        close();
                    }
                }, toxic.attribute("timeout"), TimeUnit.MILLISECONDS);
            }
        }

        List<Toxic> active(String stream) {
            List<Toxic> active = new ArrayList<>();
            for (Toxic toxic : link.toxics.values()) {
                if (toxic.stream.equals(stream) && affectedBy(toxic)) {
                    active.add(toxic);
                }
            }
            return active;
        }

        void reset() {
            try {
                client.setSoLinger(true, 0); // close sends RST, not FIN
            } catch (IOException ignored) {
                // already closed
            }
            close();
        }

        void close() {
            closeQuietly(client);
            closeQuietly(server);
            link.connections.remove(this);
            streams.forEach(Stream::shutdown);
        }

        private void pipe(Socket from, Socket to, String stream) {
            Stream pipe;
            try {
                pipe = new Stream(stream, to);
            } catch (UncheckedIOException closedAlready) {
                close(); // e.g. a reset_peer toxic with a timeout of 0 reset it as it was accepted
                return;
            }
            streams.add(pipe);
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                try {
                    InputStream in = from.getInputStream();
                    int read;
                    while ((read = in.read(buffer)) >= 0) {
                        pipe.forward(Arrays.copyOf(buffer, read));
                    }
                    long slowClose = 0;
                    for (Toxic toxic : active(stream)) {
                        if (toxic.type.equals("slow_close")) {
                            slowClose = Math.max(slowClose, toxic.attribute("delay"));
                        }
                    }
                    pipe.closeAfterPendingWrites(TimeUnit.MILLISECONDS.toNanos(slowClose));
                } catch (IOException e) {
                    close(); // one side went away
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    close();
                }
            }, "fault-proxy-" + link.name + "-" + stream);
            thread.setDaemon(true);
            thread.start();
        }

        /**
         * One direction of the connection. Data is read as it arrives and written when the stream's toxics say it is
         * due, on a writer of its own: like Toxiproxy, a latency delays each chunk from its arrival (the chunks behind
         * it are read meanwhile, in order), and a bandwidth limit spaces the slices of a chunk by the time they take
         * at that rate. At most {@value #IN_FLIGHT} chunks wait to be written; then reading waits for the writer.
         */
        private final class Stream {
            static final int IN_FLIGHT = 64;
            final String name;
            final OutputStream out;
            final ScheduledExecutorService writer;
            final Semaphore room = new Semaphore(IN_FLIGHT);
            /** When (System.nanoTime) the last write scheduled so far is due; writes never overtake each other. */
            long cursor = System.nanoTime();

            Stream(String name, Socket to) {
                this.name = name;
                try {
                    this.out = to.getOutputStream();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                this.writer = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread thread = new Thread(r, "fault-proxy-" + link.name + "-" + name + "-writer");
                    thread.setDaemon(true);
                    return thread;
                });
            }

            void forward(byte[] chunk) throws InterruptedException {
                long arrived = System.nanoTime();
                long delayMs = 0;
                long bytesPerSecond = 0;
                for (Toxic toxic : active(name)) {
                    switch (toxic.type) {
                        case "timeout" -> {
                            return; // blackhole: the data is dropped
                        }
                        case "latency" -> {
                            long jitter = toxic.attribute("jitter");
                            delayMs += toxic.attribute("latency")
                                    + (jitter > 0 ? ThreadLocalRandom.current().nextLong(-jitter, jitter + 1) : 0);
                        }
                        case "bandwidth" -> bytesPerSecond = toxic.attribute("rate") * 1024;
                        default -> {
                        }
                    }
                }
                cursor = Math.max(cursor, arrived + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMs)));
                int slice = bytesPerSecond <= 0 ? chunk.length
                        : (int) Math.max(1, Math.min(chunk.length, bytesPerSecond / 10));
                for (int offset = 0; offset < chunk.length; offset += slice) {
                    int from = offset;
                    int length = Math.min(slice, chunk.length - offset);
                    room.acquire();
                    schedule(cursor, () -> {
                        out.write(chunk, from, length);
                        out.flush();
                    });
                    if (bytesPerSecond > 0) {
                        cursor += TimeUnit.SECONDS.toNanos(length) / bytesPerSecond;
                    }
                }
            }

            /** The end of the data: the connection closes once what is scheduled is written, plus {@code extra}. */
            void closeAfterPendingWrites(long extraNanos) throws InterruptedException {
                room.acquire();
                schedule(cursor + extraNanos, Connection.this::close);
            }

            private void schedule(long dueNanos, IoAction action) {
                try {
                    writer.schedule(() -> {
                        try {
                            action.run();
                        } catch (IOException e) {
                            Connection.this.close(); // the receiving side went away
                        } finally {
                            room.release();
                        }
                    }, Math.max(0, dueNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    room.release(); // the connection is closed already
                }
            }

            void shutdown() {
                writer.shutdownNow();
            }
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
