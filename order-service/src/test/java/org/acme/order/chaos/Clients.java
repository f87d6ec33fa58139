package org.acme.order.chaos;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.acme.order.chaos.History.Kind;
import org.acme.order.chaos.History.Op;
import org.acme.order.chaos.History.Outcome;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The generator: N concurrent clients, each placing orders of every kind (payable, declined, from the blocked user,
 * malformed, with an Idempotency-Key sent again while its outcome is unknown) and reading back orders it saw created,
 * each operation recorded in the history with what the client saw.
 */
final class Clients {

    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long BLOCKED_USER = 3;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String orderService;
    private final History history;
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger opIds = new AtomicInteger();
    private final List<String> created = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService scheduler;
    private volatile boolean running = true;

    Clients(String orderService, History history) {
        this.orderService = orderService;
        this.history = history;
    }

    void start(int clients, long seed) {
        scheduler = Executors.newScheduledThreadPool(clients, r -> {
            Thread thread = new Thread(r, "client");
            thread.setDaemon(true);
            return thread;
        });
        for (int c = 0; c < clients; c++) {
            int client = c;
            Random random = new Random(seed * 31 + c);
            scheduler.execute(() -> step(client, random, null));
        }
    }

    void stop() throws InterruptedException {
        running = false;
        scheduler.shutdown();
        scheduler.awaitTermination(CLIENT_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
    }

    /** An Idempotency-Key operation whose outcome is still unknown, to be sent again. */
    private record Unsettled(String sku, String key, long user, int attempts) {
    }

    /** One operation, then the next one scheduled after a think time: an unsettled one first, else a random one. */
    private void step(int client, Random random, Unsettled unsettled) {
        if (!running) {
            return;
        }
        Unsettled next = null;
        if (unsettled != null) {
            next = idempotent(client, unsettled);
        } else {
            int roll = random.nextInt(100);
            if (roll < 40) {
                place(client, Kind.PAYABLE, 1 + random.nextInt(2), "19.90", null);
            } else if (roll < 52) {
                place(client, Kind.DECLINED, 1 + random.nextInt(2), "1500", null);
            } else if (roll < 60) {
                place(client, Kind.BLOCKED_USER, BLOCKED_USER, "9.99", null);
            } else if (roll < 68) {
                place(client, Kind.INVALID, 1, "-1", null);
            } else if (roll < 88) {
                String sku = "JEPSEN-" + ids.incrementAndGet();
                next = idempotent(client, new Unsettled(sku, "key-" + sku, 1 + random.nextInt(2), 0));
            } else if (!created.isEmpty()) {
                read(client, created.get(random.nextInt(created.size())));
            }
        }
        Unsettled retry = next;
        long think = retry != null ? 500 + random.nextInt(1000) : 50 + random.nextInt(150);
        try {
            scheduler.schedule(() -> step(client, random, retry), think, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping
        }
    }

    /** Sends it (again); returns it if its outcome is still unknown and it may be sent once more (at most 4 times). */
    private Unsettled idempotent(int client, Unsettled op) {
        Op sent = post(client, Kind.IDEMPOTENT, op.sku(), op.key(), op.user(), "24.50");
        boolean unknown = sent.outcome() == Outcome.INFO || sent.status() == 409;
        return unknown && op.attempts() < 3 ? new Unsettled(op.sku(), op.key(), op.user(), op.attempts() + 1) : null;
    }

    private void place(int client, Kind kind, long user, String price, String key) {
        post(client, kind, "JEPSEN-" + ids.incrementAndGet(), key, user, price);
    }

    private Op post(int client, Kind kind, String sku, String key, long user, String price) {
        String body = "{\"userId\":" + user + ",\"currency\":\"EUR\",\"items\":[{\"sku\":\"" + sku
                + "\",\"quantity\":1,\"unitPrice\":" + price + "}]}";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(orderService + "/orders"))
                .timeout(CLIENT_TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        long invoked = history.now();
        Op op;
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            JsonNode answer = parse(response.body());
            if (status == 201) {
                String id = answer.path("id").asText();
                created.add(id);
                op = new Op(opIds.incrementAndGet(), client, kind, sku, key, user, price, invoked, history.now(),
                        Outcome.OK, status, id, answer.path("status").asText(), answer.path("reason").asText(""));
            } else {
                // a 4xx is a defined refusal; a 5xx may have left an order behind (the saga decides it later)
                op = new Op(opIds.incrementAndGet(), client, kind, sku, key, user, price, invoked, history.now(),
                        status < 500 ? Outcome.FAIL : Outcome.INFO, status, null, null,
                        answer.path("type").asText("") + " " + answer.path("detail").asText(""));
            }
        } catch (ConnectException e) {
            op = new Op(opIds.incrementAndGet(), client, kind, sku, key, user, price, invoked, history.now(),
                    Outcome.FAIL, -1, null, null, "connection refused");
        } catch (IOException e) {
            op = new Op(opIds.incrementAndGet(), client, kind, sku, key, user, price, invoked, history.now(),
                    Outcome.INFO, -1, null, null, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        history.add(op);
        return op;
    }

    private void read(int client, String orderId) {
        long invoked = history.now();
        Op op;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(orderService + "/orders/"
                    + orderId)).timeout(CLIENT_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            op = new Op(opIds.incrementAndGet(), client, Kind.READ, null, null, 0, null, invoked, history.now(),
                    response.statusCode() == 200 ? Outcome.OK : Outcome.FAIL, response.statusCode(), orderId,
                    parse(response.body()).path("status").asText(null), "");
        } catch (IOException e) {
            op = new Op(opIds.incrementAndGet(), client, Kind.READ, null, null, 0, null, invoked, history.now(),
                    Outcome.FAIL, -1, orderId, null, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        history.add(op);
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("detail", "not JSON: " + body);
        }
    }
}
