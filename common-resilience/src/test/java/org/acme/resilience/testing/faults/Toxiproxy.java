package org.acme.resilience.testing.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A client of Toxiproxy's HTTP API: drives a real Toxiproxy server, or a {@link FaultProxy} where none can be had.
 * Every call fails loudly on an unexpected answer, so a fault the harness believes injected was injected.
 */
public final class Toxiproxy {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String url;

    public Toxiproxy(String url) {
        this.url = url.replaceAll("/+$", "");
    }

    /** A proxy listening on {@code listen} (host:port) that forwards to {@code upstream} (host:port). */
    public void createProxy(String name, String listen, String upstream) {
        send("POST", "/proxies", Map.of("name", name, "listen", listen, "upstream", upstream, "enabled", true), 201);
    }

    /** Down ({@code false}: every connection closed, new ones refused) or up again. */
    public void setEnabled(String proxy, boolean enabled) {
        send("POST", "/proxies/" + proxy, Map.of("enabled", enabled), 200);
    }

    /** Adds a toxic of one of Toxiproxy's types to one direction of a proxy; attributes in its units (ms, KB/s). */
    public void addToxic(String proxy, String name, String type, String stream, Map<String, Long> attributes) {
        send("POST", "/proxies/" + proxy + "/toxics",
                Map.of("name", name, "type", type, "stream", stream, "toxicity", 1.0, "attributes", attributes), 200);
    }

    public void removeToxic(String proxy, String name) {
        send("DELETE", "/proxies/" + proxy + "/toxics/" + name, null, 204);
    }

    /** Every proxy enabled, every toxic removed. */
    public void reset() {
        send("POST", "/reset", null, 204);
    }

    public void deleteProxy(String proxy) {
        send("DELETE", "/proxies/" + proxy, null, 204);
    }

    private void send(String method, String path, Object body, int expected) {
        try {
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + path))
                    .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                    .method(method, publisher).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
