package org.acme.order.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads order-service's circuits ({@code GET /resilience/circuits}) every 100 ms and keeps what each read said. */
final class CircuitPoller {

    /** One read of one circuit, at a time on the history's clock. */
    record Reading(long atMillis, String downstream, String state) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final String orderService;
    private final History history;
    private final List<Reading> readings = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "circuit-poller");
        thread.setDaemon(true);
        return thread;
    });

    CircuitPoller(String orderService, History history) {
        this.orderService = orderService;
        this.history = history;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::poll, 0, 100, TimeUnit.MILLISECONDS);
    }

    void finish() throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(5, TimeUnit.SECONDS);
    }

    List<Reading> readings() {
        return List.copyOf(readings);
    }

    /** The states one circuit was read in, each change once: CLOSED, OPEN, HALF_OPEN, CLOSED, ... */
    List<String> changes(String downstream) {
        List<String> changes = new ArrayList<>();
        for (Reading reading : readings) {
            if (reading.downstream().equals(downstream)
                    && (changes.isEmpty() || !changes.get(changes.size() - 1).equals(reading.state()))) {
                changes.add(reading.state());
            }
        }
        return changes;
    }

    private void poll() {
        try {
            long at = history.now();
            String body = http.send(HttpRequest.newBuilder(URI.create(orderService + "/resilience/circuits"))
                    .timeout(Duration.ofSeconds(1)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            for (JsonNode circuit : JSON.readTree(body)) {
                readings.add(new Reading(at, circuit.path("name").asText(), circuit.path("state").asText()));
            }
        } catch (IOException e) {
            // order-service is down or paused for a moment: no reading
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
