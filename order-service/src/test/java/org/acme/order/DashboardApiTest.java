package org.acme.order;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.acme.order.Stubs.ACTIVE_USER;
import static org.acme.order.Stubs.mock;
import static org.acme.order.Stubs.placeOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.acme.order.dashboard.LiveEvents;
import org.acme.resilience.guard.DownstreamGuards;
import org.acme.resilience.testing.LocalBackends;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.faulttolerance.api.CircuitBreakerState;

/**
 * What the dashboard reads and does, through its API: the circuits of every instance of every service, found through
 * discovery (the stand-in for user-service and payment-service answers their {@code /resilience/circuits}), an
 * instance that does not answer shown as unreachable with the reason, and payment-service's fault injection set on
 * every instance. These management calls never count in the business circuits and keep working while one is open.
 * And the live event stream: open at once, then every event on domain_events, through a queue that lives as long as
 * the page watches.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "orders_test"))
@QuarkusTestResource(value = DownstreamsMock.class, restrictToAnnotatedClass = true)
class DashboardApiTest {

    private static final String REMOTE_CIRCUITS = """
            [{"name": "ledger-service", "state": "HALF_OPEN", "since": "2026-11-23T07:00:00Z",
              "counts": {"calls": 7, "failures": 3}}]""";

    @Inject
    DownstreamGuards circuits;

    @Inject
    LiveEvents liveEvents;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    String instance;

    @BeforeEach
    void healthyDownstreams() {
        Stubs.healthyDownstreams(circuits);
        instance = "localhost:" + mock().port();
    }

    @Test
    void theDashboardWithoutItsTrailingSlashLeadsToThePage() {
        given().redirects().follow(false).get("/dashboard")
                .then().statusCode(301).header("Location", endsWith("/dashboard/"));
        given().get("/dashboard")
                .then().statusCode(200).contentType(ContentType.HTML).body(containsString("id=\"place-valid\""));
    }

    @Test
    void showsTheCircuitsOfEveryInstanceOfEveryServiceFoundThroughDiscovery() {
        mock().stubFor(get(urlEqualTo("/resilience/circuits")).willReturn(okJson(REMOTE_CIRCUITS)));

        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().get("/dashboard/circuits")
                .then().statusCode(200)
                .body("$", hasSize(3))
                .body("[0].service", equalTo("order-service"))
                .body("[0].reachable", equalTo(true))
                .body("[0].circuits.name", contains("payment-service", "user-service"))
                .body("[1].service", equalTo("payment-service"))
                .body("[1].instance", equalTo(instance))
                .body("[1].reachable", equalTo(true))
                .body("[1].circuits[0].name", equalTo("ledger-service"))
                .body("[1].circuits[0].state", equalTo("HALF_OPEN"))
                .body("[1].circuits[0].counts.failures", equalTo(3))
                .body("[2].service", equalTo("user-service"))
                .body("[2].reachable", equalTo(true)));
        mock().verify(getRequestedFor(urlEqualTo("/resilience/circuits")));
    }

    @Test
    void anInstanceThatDoesNotAnswerIsShownUnreachableWithTheReason() {
        mock().stubFor(get(urlEqualTo("/resilience/circuits"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().get("/dashboard/circuits")
                .then().statusCode(200)
                .body("find { it.service == 'payment-service' }.instance", equalTo(instance))
                .body("find { it.service == 'payment-service' }.reachable", equalTo(false))
                .body("find { it.service == 'payment-service' }.problem", containsString("unreachable"))
                .body("find { it.service == 'order-service' }.reachable", equalTo(true)));

        // resilience.management.timeout is 1s: an instance that hangs is shown as timed out, and the page not held up
        mock().stubFor(get(urlEqualTo("/resilience/circuits")).willReturn(okJson("[]").withFixedDelay(5_000)));
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().get("/dashboard/circuits")
                .then().statusCode(200)
                .body("find { it.service == 'user-service' }.reachable", equalTo(false))
                .body("find { it.service == 'user-service' }.problem", equalTo("timed out")));
    }

    @Test
    void pollingTheCircuitsNeverCountsInTheBusinessCircuits() {
        mock().stubFor(get(urlEqualTo("/resilience/circuits")).willReturn(okJson(REMOTE_CIRCUITS)));
        long before = circuits.get("payment-service").counters().snapshot().calls()
                + circuits.get("user-service").counters().snapshot().calls();

        for (int i = 0; i < 4; i++) {
            given().get("/dashboard/circuits").then().statusCode(200);
            sleep(400); // past the quarter second for which answers are shared
        }

        assertThat(mock().findAll(getRequestedFor(urlEqualTo("/resilience/circuits")))).hasSizeGreaterThan(2);
        assertThat(circuits.get("payment-service").counters().snapshot().calls()
                + circuits.get("user-service").counters().snapshot().calls()).isEqualTo(before);
    }

    @Test
    void faultInjectionReachesEveryPaymentInstanceWhileItsCircuitIsOpen() {
        Stubs.paymentFailsWith(500);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            placeOrder(ACTIVE_USER);
            return circuits.get("payment-service").state() == CircuitBreakerState.OPEN;
        });
        long calls = circuits.get("payment-service").counters().snapshot().calls();
        mock().stubFor(put(urlEqualTo("/admin/faults"))
                .willReturn(okJson("{\"latencyMillis\": 0, \"failureRate\": 0.0, \"down\": false}")));

        given().contentType(ContentType.JSON).header("X-Admin-Token", "s3cret")
                .body(Map.of("latencyMillis", 0, "failureRate", 0.0, "down", false))
                .put("/dashboard/faults")
                .then().statusCode(200)
                .body("instance", contains(instance))
                .body("[0].faults.down", equalTo(false));

        mock().verify(putRequestedFor(urlEqualTo("/admin/faults"))
                .withHeader("X-Admin-Token", WireMock.equalTo("s3cret"))
                .withRequestBody(equalToJson("{\"latencyMillis\": 0, \"failureRate\": 0.0, \"down\": false}")));
        assertThat(circuits.get("payment-service").state()).isEqualTo(CircuitBreakerState.OPEN);
        assertThat(circuits.get("payment-service").counters().snapshot().calls()).isEqualTo(calls);
    }

    @Test
    void aRefusalFromPaymentServiceComesBackAsItIs() {
        mock().stubFor(put(urlEqualTo("/admin/faults")).willReturn(Stubs.problem(401)));

        given().contentType(ContentType.JSON).header("X-Admin-Token", "wrong")
                .body(Map.of("down", true))
                .put("/dashboard/faults")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .body("detail", equalTo(
                        "payment-service at " + instance + " rejected the request with 401"));
    }

    @Test
    void noPaymentInstanceAnsweringIsA503NotA500() {
        mock().stubFor(put(urlEqualTo("/admin/faults"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        given().contentType(ContentType.JSON).header("X-Admin-Token", "s3cret")
                .body(List.of())
                .put("/dashboard/faults")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .body("detail", containsString("payment-service at " + instance + " unreachable"));
    }

    @Test
    void theEventStreamOpensAtOnceAndCarriesEveryEvent() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/dashboard/stream"))
                .header("Accept", "text/event-stream").build();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient()
                .sendAsync(request, HttpResponse.BodyHandlers.ofLines()).get(5, TimeUnit.SECONDS);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        try (Stream<String> lines = response.body()) {
            Iterator<String> stream = lines.iterator();
            // a browser sees the stream open before any event: the first line is a comment, sent at once
            assertThat(stream.next()).startsWith(":");

            String orderId = placeOrder(ACTIVE_USER).then().statusCode(201).extract().path("id");
            String data;
            do {
                data = stream.next();
            } while (!(data.startsWith("data:") && data.contains("order.created") && data.contains(orderId)));
            JsonNode event = new ObjectMapper().readTree(data.substring("data:".length()));
            assertThat(event.path("routingKey").asText()).isEqualTo("order.created");
            assertThat(new ObjectMapper().readTree(event.path("body").asText()).path("subject").asText())
                    .isEqualTo(orderId);
            assertThat(liveEvents.watchers()).isEqualTo(1);
        }
        // the page went away: so does its queue, and nobody watching costs nothing
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> liveEvents.watchers() == 0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
