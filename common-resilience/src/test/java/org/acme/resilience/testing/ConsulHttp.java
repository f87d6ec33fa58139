package org.acme.resilience.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The tests' own Consul client: the few agent API calls they need, over plain HTTP, with an ACL token. */
public final class ConsulHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final String token;

    public ConsulHttp(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    /** The agent's API with its management token. */
    public ConsulHttp(ConsulAgent agent) {
        this(agent.port(), agent.aclToken());
    }

    /** {@code GET /v1/agent/services}: the registered services keyed by ID. */
    public JsonNode services() {
        return get("/v1/agent/services");
    }

    /** {@code GET /v1/health/service/{name}?passing}: the entries whose checks all pass. */
    public List<JsonNode> passing(String name) {
        List<JsonNode> entries = new ArrayList<>();
        get("/v1/health/service/" + name + "?passing=true").forEach(entries::add);
        return entries;
    }

    /** {@code GET /v1/health/service/{name}}: every entry, with its checks. */
    public List<JsonNode> all(String name) {
        List<JsonNode> entries = new ArrayList<>();
        get("/v1/health/service/" + name).forEach(entries::add);
        return entries;
    }

    /** Registers an instance with an HTTP check on {@code checkUrl} every second. */
    public void register(String id, String name, String address, int port, String checkUrl) {
        put("/v1/agent/service/register", """
                {"ID":"%s","Name":"%s","Address":"%s","Port":%d,
                 "Check":{"HTTP":"%s","Interval":"1s","DeregisterCriticalServiceAfter":"1m"}}"""
                .formatted(id, name, address, port, checkUrl));
    }

    public void deregister(String id) {
        put("/v1/agent/service/deregister/" + id, "");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("X-Consul-Token", token);
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> response = http.send(request(path).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void put(String path, String body) {
        try {
            HttpResponse<String> response = http.send(request(path).PUT(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("PUT " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("PUT " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
