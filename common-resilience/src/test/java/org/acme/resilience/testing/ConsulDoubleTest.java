package org.acme.resilience.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/** The double answers as a Consul agent with ACLs on does: validation, ACLs, blocking queries, reaping, restart. */
class ConsulDoubleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEB = """
            {"ID":"web-1","Name":"web","Address":"127.0.0.1","Port":%d,
             "Check":{"HTTP":"%s","Interval":"1s","DeregisterCriticalServiceAfter":"%s"}}""";

    private final HttpClient http = HttpClient.newHttpClient();
    private ConsulDouble consul;
    private HttpServer healthy;

    @BeforeEach
    void start() throws IOException {
        consul = new ConsulDouble().start();
        healthy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        healthy.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        healthy.start();
    }

    @AfterEach
    void stop() {
        consul.close();
        healthy.stop(0);
    }

    private String healthyCheck() {
        return "http://127.0.0.1:" + healthy.getAddress().getPort() + "/";
    }

    private HttpResponse<String> put(String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + consul.port() + path))
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-Consul-Token", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String pathAndQuery, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + consul.port() + pathAndQuery)).GET();
        if (token != null) {
            request.header("X-Consul-Token", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void registerWeb(String deregisterAfter) throws Exception {
        assertThat(put("/v1/agent/service/register", consul.aclToken(),
                WEB.formatted(healthy.getAddress().getPort(), healthyCheck(), deregisterAfter)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void malformedRegistrationsAreRefusedWith400() throws Exception {
        String token = consul.aclToken();
        assertThat(put("/v1/agent/service/register", token, "{not json").statusCode()).isEqualTo(400);
        assertThat(put("/v1/agent/service/register", token, "{\"ID\":\"x\",\"Port\":1}")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).isEqualTo("Missing service name");
        });
        assertThat(put("/v1/agent/service/register", token,
                "{\"Name\":\"web\",\"Check\":{\"HTTP\":\"http://127.0.0.1:1/\"}}").statusCode()).isEqualTo(400);
        assertThat(put("/v1/agent/service/register", token,
                "{\"Name\":\"web\",\"Check\":{\"HTTP\":\"http://127.0.0.1:1/\",\"Interval\":\"ten seconds\"}}")
                .statusCode()).isEqualTo(400);
        assertThat(put("/v1/agent/service/register", token,
                "{\"Name\":\"web\",\"Check\":{\"HTTP\":\"http://127.0.0.1:1/\",\"Interval\":\"10s\","
                        + "\"DeregisterCriticalServiceAfter\":\"1 minute\"}}").statusCode()).isEqualTo(400);
        assertThat(consul.instances()).isEmpty();
    }

    @Test
    void withoutAGoodTokenWritesAre403AndReadsAreFiltered() throws Exception {
        registerWeb("1m");
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> JSON.readTree(get("/v1/health/service/web?passing", consul.aclToken()).body())
                        .size() == 1);

        String body = WEB.formatted(1, healthyCheck(), "1m");
        assertThat(put("/v1/agent/service/register", null, body).statusCode()).isEqualTo(403);
        HttpResponse<String> unknown = put("/v1/agent/service/register", "not-a-token", body);
        assertThat(unknown.statusCode()).isEqualTo(403);
        assertThat(unknown.body()).isEqualTo("ACL not found");
        assertThat(get("/v1/health/service/web", "not-a-token").statusCode()).isEqualTo(403);
        assertThat(get("/v1/acl/token/self", null).statusCode()).isEqualTo(403);
        assertThat(get("/v1/acl/token/self", consul.aclToken()).statusCode()).isEqualTo(200);

        // anonymous: 200 [] and not even a hint that something was filtered
        HttpResponse<String> anonymous = get("/v1/health/service/web?passing", null);
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.body()).isEqualTo("[]");
        assertThat(anonymous.headers().firstValue("X-Consul-Results-Filtered-By-ACLs")).isEmpty();

        ConsulDouble.Token other = consul.addToken("reads and writes only db*", "db", "db");
        HttpResponse<String> filtered = get("/v1/health/service/web?passing", other.secretId());
        assertThat(filtered.body()).isEqualTo("[]");
        assertThat(filtered.headers().firstValue("X-Consul-Results-Filtered-By-ACLs")).contains("true");
        assertThat(put("/v1/agent/service/register", other.secretId(), body).statusCode()).isEqualTo(403);
        assertThat(put("/v1/agent/service/deregister/web-1", other.secretId(), "").statusCode()).isEqualTo(403);

        // the token may also come as ?token=
        assertThat(JSON.readTree(get("/v1/health/service/web?passing&token=" + consul.aclToken(), null).body()))
                .hasSize(1);
    }

    @Test
    void aBlockingQueryWaitsForAChangeAndAnswersWithTheNewIndex() throws Exception {
        registerWeb("1m");
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> "passing".equals(consul.instances().get("web-1").status()));
        HttpResponse<String> first = get("/v1/health/service/web", consul.aclToken());
        long index = Long.parseLong(first.headers().firstValue("X-Consul-Index").orElseThrow());

        CompletableFuture<HttpResponse<String>> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return get("/v1/health/service/web?index=" + index + "&wait=30s", consul.aclToken());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !blocked.isDone());

        put("/v1/agent/service/deregister/web-1", consul.aclToken(), "");
        HttpResponse<String> answer = blocked.get(5, TimeUnit.SECONDS);
        assertThat(Long.parseLong(answer.headers().firstValue("X-Consul-Index").orElseThrow())).isGreaterThan(index);
        assertThat(answer.body()).isEqualTo("[]");
    }

    @Test
    void aServiceCriticalForLongerThanDeregisterAfterIsReaped() throws Exception {
        consul.reapFast(Duration.ofMillis(200), Duration.ofSeconds(1));
        registerWeb("1s");
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> "passing".equals(consul.instances().get("web-1").status()));

        healthy.stop(0); // its check fails from now on
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> "critical".equals(consul.instances().get("web-1").status()));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> consul.instances().isEmpty());
    }

    @Test
    void deregisterAfterBelowConsulsMinimumIsRaisedToOneMinute() throws Exception {
        registerWeb("5s");
        assertThat(consul.instances().get("web-1").deregisterAfter).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aRestartLosesNothingButForgetLosesEverything() throws Exception {
        registerWeb("1m");
        consul.stop();
        assertThatThrownBy(() -> get("/v1/agent/services", consul.aclToken())).isInstanceOf(IOException.class);
        consul.start();
        JsonNode services = JSON.readTree(get("/v1/agent/services", consul.aclToken()).body());
        assertThat(services.has("web-1")).isTrue();

        consul.forget();
        assertThat(JSON.readTree(get("/v1/agent/services", consul.aclToken()).body()).size()).isZero();
    }
}
