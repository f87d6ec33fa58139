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
import static org.acme.order.DashboardFixtures.ADMIN_TOKEN;
import static org.acme.order.DashboardFixtures.COOKIE;
import static org.acme.order.DashboardFixtures.MAX_WATCHERS;
import static org.acme.order.DashboardFixtures.VIEWER_TOKEN;
import static org.acme.order.DashboardFixtures.session;
import static org.acme.order.Stubs.ACTIVE_USER;
import static org.acme.order.Stubs.mock;
import static org.acme.order.Stubs.placeOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.acme.order.dashboard.LiveEvents;
import org.acme.resilience.guard.DownstreamGuards;
import org.acme.resilience.testing.EventTap;
import org.acme.resilience.testing.LocalBackends;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.smallrye.faulttolerance.api.CircuitBreakerState;

/**
 * What the dashboard reads and does, through its API: the circuits of every instance of every service, found through
 * discovery (the stand-in for user-service and payment-service answers their {@code /resilience/circuits}), an
 * instance that does not answer shown as unreachable with the reason, and payment-service's fault injection set on
 * every instance. These management calls never count in the business circuits and keep working while one is open.
 * And the live event stream: open at once, then every event on domain_events without personal data, through a
 * bounded queue that lives as long as the page watches, for at most {@code max-watchers} pages at a time. All of it
 * behind a session cookie the admin or the viewer token is exchanged for (see {@link DashboardSessionTest}).
 */
@QuarkusTest
@TestProfile(DashboardFixtures.WithTokens.class)
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

        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> viewer().get("/dashboard/circuits")
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
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> viewer().get("/dashboard/circuits")
                .then().statusCode(200)
                .body("find { it.service == 'payment-service' }.instance", equalTo(instance))
                .body("find { it.service == 'payment-service' }.reachable", equalTo(false))
                .body("find { it.service == 'payment-service' }.problem", containsString("unreachable"))
                .body("find { it.service == 'order-service' }.reachable", equalTo(true)));

        // resilience.management.timeout is 1s: an instance that hangs is shown as timed out, and the page not held up
        mock().stubFor(get(urlEqualTo("/resilience/circuits")).willReturn(okJson("[]").withFixedDelay(5_000)));
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> viewer().get("/dashboard/circuits")
                .then().statusCode(200)
                .body("find { it.service == 'user-service' }.reachable", equalTo(false))
                .body("find { it.service == 'user-service' }.problem", equalTo("timed out")));
    }

    @Test
    void pollingTheCircuitsNeverCountsInTheBusinessCircuits() {
        mock().stubFor(get(urlEqualTo("/resilience/circuits")).willReturn(okJson(REMOTE_CIRCUITS)));
        long before = circuits.get("payment-service").counters().snapshot().calls()
                + circuits.get("user-service").counters().snapshot().calls();

        // Polled slower than the quarter second for which answers are shared, until three remote reads went out.
        Awaitility.await().pollInterval(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10)).until(() -> {
            viewer().get("/dashboard/circuits").then().statusCode(200);
            return mock().findAll(getRequestedFor(urlEqualTo("/resilience/circuits"))).size() > 2;
        });

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

        given().contentType(ContentType.JSON).header("X-Admin-Token", ADMIN_TOKEN)
                .body(Map.of("latencyMillis", 0, "failureRate", 0.0, "down", false))
                .put("/dashboard/faults")
                .then().statusCode(200)
                .body("instance", contains(instance))
                .body("[0].faults.down", equalTo(false));

        mock().verify(putRequestedFor(urlEqualTo("/admin/faults"))
                .withHeader("X-Admin-Token", WireMock.equalTo(ADMIN_TOKEN))
                .withRequestBody(equalToJson("{\"latencyMillis\": 0, \"failureRate\": 0.0, \"down\": false}")));
        assertThat(circuits.get("payment-service").state()).isEqualTo(CircuitBreakerState.OPEN);
        assertThat(circuits.get("payment-service").counters().snapshot().calls()).isEqualTo(calls);
    }

    @Test
    void anAdminSessionSetsFaultsWithTheConfiguredTokenAndAViewerSessionCannot() {
        mock().stubFor(put(urlEqualTo("/admin/faults")).willReturn(okJson("{\"down\": true}")));

        given().cookie(COOKIE, session(VIEWER_TOKEN))
                .contentType(ContentType.JSON).body(Map.of("down", true))
                .put("/dashboard/faults")
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("/problems/read-only-session"));
        given().contentType(ContentType.JSON).body(Map.of("down", true)).put("/dashboard/faults")
                .then().statusCode(401).contentType("application/problem+json");
        given().header("X-Admin-Token", "wrong").contentType(ContentType.JSON).body(Map.of("down", true))
                .put("/dashboard/faults")
                .then().statusCode(401).contentType("application/problem+json");
        mock().verify(0, putRequestedFor(urlEqualTo("/admin/faults")));

        // the browser holds no token, only its cookie: order-service forwards its own admin token
        given().cookie(COOKIE, session(ADMIN_TOKEN))
                .contentType(ContentType.JSON).body(Map.of("down", true))
                .put("/dashboard/faults")
                .then().statusCode(200).body("[0].faults.down", equalTo(true));
        mock().verify(putRequestedFor(urlEqualTo("/admin/faults"))
                .withHeader("X-Admin-Token", WireMock.equalTo(ADMIN_TOKEN)));
    }

    @Test
    void aRefusalFromPaymentServiceComesBackAsItIs() {
        // fault injection is off there (payment-service answers 404 for a closed operator endpoint)
        mock().stubFor(put(urlEqualTo("/admin/faults")).willReturn(Stubs.problem(404)));

        given().contentType(ContentType.JSON).header("X-Admin-Token", ADMIN_TOKEN)
                .body(Map.of("down", true))
                .put("/dashboard/faults")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo(
                        "payment-service at " + instance + " rejected the request with 404"));
    }

    @Test
    void noPaymentInstanceAnsweringIsA503NotA500() {
        mock().stubFor(put(urlEqualTo("/admin/faults"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        given().contentType(ContentType.JSON).header("X-Admin-Token", ADMIN_TOKEN)
                .body(List.of())
                .put("/dashboard/faults")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .body("detail", containsString("payment-service at " + instance + " unreachable"));
    }

    @Test
    void theEventStreamNeedsASession() throws Exception {
        try (SseStream stream = SseStream.withCookie(port, null)) {
            assertThat(stream.status()).isEqualTo(401);
            assertThat(stream.header("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
        }
        try (SseStream stream = SseStream.withCookie(port, COOKIE + "=admin.9999999999.forged")) {
            assertThat(stream.status()).isEqualTo(401);
        }
        assertThat(liveEvents.watchers()).isZero();
    }

    @Test
    void theEventStreamOpensAtOnceAndCarriesEveryEventWithoutPersonalData() throws Exception {
        try (SseStream stream = SseStream.withCookie(port, viewerCookie()); EventTap tap = EventTap.bind("#")) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            // a browser sees the stream open before any event: the first line is a comment, sent at once
            assertThat(stream.nextLine(Duration.ofSeconds(5))).startsWith(":");
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> liveEvents.watchers() == 1);

            String orderId = placeOrder(ACTIVE_USER).then().statusCode(201).extract().path("id");
            JsonNode created = stream.awaitEvent(e -> "order.created".equals(e.path("type").asText())
                    && orderId.equals(e.path("subject").asText()), Duration.ofSeconds(15)).json();
            assertThat(created.path("routingKey").asText()).isEqualTo("order.created");
            assertThat(created.path("id").asText()).isNotBlank();
            assertThat(created.path("data").path("status").asText()).isEqualTo("PENDING");
            assertThat(created.path("data").path("currency").asText()).isEqualTo("EUR");

            // user-service's event carries the person's name and email: the stream shows neither
            String eventId = tap.publishEvent("user.registered", "4242", """
                    {"userId": 4242, "name": "Ada Lovelace", "email": "ada@example.org", "status": "ACTIVE",
                     "address": {"street": "12 St James's Square"}}""");
            SseStream.Event registered = stream.awaitEvent(e -> eventId.equals(e.path("id").asText()),
                    Duration.ofSeconds(15));
            assertThat(registered.json().path("type").asText()).isEqualTo("user.registered");
            assertThat(registered.json().path("subject").asText()).isEqualTo("4242");
            assertThat(registered.json().path("data").path("userId").asLong()).isEqualTo(4242);
            assertThat(registered.json().path("data").path("status").asText()).isEqualTo("ACTIVE");
            assertThat(registered.json().path("data").has("email")).isFalse();
            assertThat(registered.json().path("data").has("name")).isFalse();
            assertThat(registered.raw()).doesNotContain("ada@example.org").doesNotContain("Lovelace")
                    .doesNotContain("St James");
        }
        // the page went away: so does its queue, and nobody watching costs nothing
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> liveEvents.watchers() == 0);
    }

    @Test
    void aWatcherBeyondTheCapIsRefusedUntilOneLeaves() throws Exception {
        List<SseStream> watching = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_WATCHERS; i++) {
                SseStream stream = SseStream.withCookie(port, viewerCookie());
                watching.add(stream);
                assertThat(stream.status()).isEqualTo(200);
                assertThat(stream.nextLine(Duration.ofSeconds(5))).startsWith(":");
            }
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> liveEvents.watchers() == MAX_WATCHERS);

            try (SseStream refused = SseStream.withCookie(port, viewerCookie())) {
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.header("Retry-After")).hasValueSatisfying(
                        seconds -> assertThat(Integer.parseInt(seconds)).isPositive());
                assertThat(refused.header("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("application/problem+json"));
                assertThat(refused.body(Duration.ofSeconds(5))).contains("/problems/too-many-watchers");
            }
            assertThat(liveEvents.watchers()).isEqualTo(MAX_WATCHERS);

            watching.remove(0).close();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> liveEvents.watchers() < MAX_WATCHERS);
            try (SseStream again = SseStream.withCookie(port, viewerCookie())) {
                assertThat(again.status()).isEqualTo(200);
            }
        } finally {
            watching.forEach(SseStream::close);
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> liveEvents.watchers() == 0);
    }

    /**
     * A page that leaves as soon as it is answered may leave before the server has set its watch up (found by CI under
     * load: the slot, and the page's channel and queue, were never freed). Each round waits for the slot to be free,
     * so the rounds test the release, not how fast it is.
     */
    @Test
    void aPageThatLeavesAsSoonAsItIsAnsweredFreesItsSlot() throws Exception {
        for (int round = 0; round < 20; round++) {
            try (SseStream leaving = SseStream.withCookie(port, viewerCookie())) {
                assertThat(leaving.status()).isEqualTo(200);
            }
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> liveEvents.watchers() == 0);
        }
    }

    private static String viewerCookie() {
        return COOKIE + "=" + session(VIEWER_TOKEN);
    }

    private static RequestSpecification viewer() {
        return given().cookie(COOKIE, session(VIEWER_TOKEN));
    }
}
