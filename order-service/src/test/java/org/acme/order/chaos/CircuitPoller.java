package org.acme.order.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads order-service's circuits ({@code GET /resilience/circuits}) every 100 ms and keeps what each read said. */
final class CircuitPoller extends Thread {

    /** One read of one circuit. */
    record Reading(long atMillis, String downstream, String state) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final String orderService;
    private final History history;
    private final List<Reading> readings = new CopyOnWriteArrayList<>();
    private volatile boolean polling = true;

    CircuitPoller(String orderService, History history) {
        super("circuit-poller");
        setDaemon(true);
        this.orderService = orderService;
        this.history = history;
    }

    List<Reading> readings() {
        return List.copyOf(readings);
    }

    void finish() throws InterruptedException {
        polling = false;
        join(5000);
    }

    @Override
    public void run() {
        while (polling) {
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
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
