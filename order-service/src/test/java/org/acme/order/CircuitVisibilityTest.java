package org.acme.order;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.acme.order.Stubs.ACTIVE_USER;
import static org.acme.order.Stubs.mock;
import static org.acme.order.Stubs.placeOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.acme.resilience.testing.EventTap;
import org.acme.resilience.testing.LocalBackends;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.acme.resilience.guard.DownstreamGuards;

/**
 * Killing a real HTTP downstream opens its circuit, and that is visible everywhere a person looks: the order's reason,
 * GET /resilience/circuits, the metrics, the readiness data and a resilience.circuit.* event on RabbitMQ. Bringing it
 * back closes the circuit after the configured delay (4s in tests) and one successful probe.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "orders_test"))
@QuarkusTestResource(value = DownstreamsMock.class, restrictToAnnotatedClass = true)
class CircuitVisibilityTest {

    static EventTap events;

    @Inject
    DownstreamGuards circuits;

    @BeforeAll
    static void tap() {
        events = EventTap.bind("resilience.circuit.*");
    }

    @AfterAll
    static void untap() throws Exception {
        events.close();
    }

    @BeforeEach
    void healthyDownstreams() {
        Stubs.healthyDownstreams(circuits);
    }

    @AfterEach
    void restart() {
        DownstreamsMock.restart();
    }

    @Test
    void killingPaymentServiceOpensItsCircuitAndRestartingItClosesIt() {
        Instant testStart = Instant.now(); // earlier tests' transitions (and the reset before this one) are older
        placeOrder(ACTIVE_USER).then().statusCode(201).body("status", equalTo("CONFIRMED")); // user now cached

        DownstreamsMock.kill();
        // payment-service: window 8, ratio 1.0 -> 8 failed attempts open it; each order makes up to 3 attempts
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            placeOrder(ACTIVE_USER).then().statusCode(201).body("status", equalTo("CANCELLED"));
            return "OPEN".equals(circuitState("payment-service"));
        });

        long start = System.nanoTime();
        placeOrder(ACTIVE_USER).then().statusCode(201)
                .body("status", equalTo("CANCELLED"))
                .body("reason", equalTo("payment-service unavailable: circuit open"))
                .body("userFromCache", equalTo(true));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1)); // no connect wait

        EventTap.Received opened = events.await(r -> "resilience.circuit.opened".equals(r.routingKey())
                && paymentTransitionSince(r, testStart), Duration.ofSeconds(10));
        assertThat(opened.body().path("data").path("from").asText()).isEqualTo("CLOSED");
        assertThat(opened.body().path("data").path("to").asText()).isEqualTo("OPEN");
        assertThat(opened.body().path("source").asText()).isEqualTo("order-service");

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("resilience_circuit_state{downstream=\"payment-service\"} 2.0"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'circuits' }.data.'payment-service'", equalTo("OPEN"));

        DownstreamsMock.restart();
        Stubs.userServiceKnowsTheDemoUsers();
        Stubs.paymentAnswers("COMPLETED");
        Awaitility.await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "CONFIRMED".equals(placeOrder(ACTIVE_USER).then().statusCode(201)
                        .extract().path("status")));
        assertThat(circuitState("payment-service")).isEqualTo("CLOSED");
        events.await(r -> "resilience.circuit.closed".equals(r.routingKey())
                && paymentTransitionSince(r, testStart), Duration.ofSeconds(10));
        List<String> keys = events.forSubject("payment-service").stream()
                .filter(r -> paymentTransitionSince(r, testStart)).map(EventTap.Received::routingKey).toList();
        assertThat(keys).containsSubsequence("resilience.circuit.opened", "resilience.circuit.half_opened",
                "resilience.circuit.closed");
    }

    @Test
    void whileTheCircuitIsOpenPaymentServiceIsNotCalled() {
        Stubs.paymentFailsWith(500);
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> {
                    placeOrder(ACTIVE_USER);
                    return "OPEN".equals(circuitState("payment-service"));
                });
        int reached = mock().findAll(postRequestedFor(urlEqualTo("/payments"))).size();

        for (int i = 0; i < 5; i++) {
            placeOrder(ACTIVE_USER).then().statusCode(201).body("status", equalTo("CANCELLED"));
        }
        mock().verify(reached, postRequestedFor(urlEqualTo("/payments")));
    }

    @Test
    void circuitsListEveryDownstreamWithItsPolicyAndCounts() {
        placeOrder(ACTIVE_USER).then().statusCode(201);
        given().get("/resilience/circuits").then().statusCode(200)
                .body("name", hasItems("payment-service", "user-service"))
                .body("find { it.name == 'payment-service' }.state", equalTo("CLOSED"))
                .body("find { it.name == 'payment-service' }.policy.circuitBreaker.window", equalTo(8))
                .body("find { it.name == 'payment-service' }.policy.circuitBreaker.successThreshold", equalTo(1))
                .body("find { it.name == 'payment-service' }.policy.timeout", equalTo("PT0.5S"))
                .body("find { it.name == 'user-service' }.policy.circuitBreaker.window", equalTo(3))
                .body("find { it.name == 'payment-service' }.counts.calls", org.hamcrest.Matchers.greaterThan(0));
    }

    @Test
    void theOperatorResetIsClosedUnlessAnAdminTokenIsConfigured() {
        given().post("/resilience/circuits/payment-service/reset").then().statusCode(404)
                .contentType("application/problem+json");
    }

    /** A transition of payment-service's circuit that happened after {@code start} (its {@code data.at}). */
    private static boolean paymentTransitionSince(EventTap.Received event, Instant start) {
        return "payment-service".equals(event.subject())
                && Instant.parse(event.body().path("data").path("at").asText()).isAfter(start);
    }

    private static String circuitState(String name) {
        return given().get("/resilience/circuits").then().statusCode(200)
                .extract().path("find { it.name == '" + name + "' }.state");
    }
}
