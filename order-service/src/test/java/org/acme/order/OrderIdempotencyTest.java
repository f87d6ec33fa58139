package org.acme.order;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.acme.order.Stubs.ACTIVE_USER;
import static org.acme.order.Stubs.mock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.acme.order.service.IdempotencyKeys;
import org.acme.resilience.guard.DownstreamGuard;
import org.acme.resilience.guard.DownstreamGuards;
import org.acme.resilience.testing.LocalBackends;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.http.Fault;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * {@code POST /orders} with an {@code Idempotency-Key} (IETF draft semantics, as ../shared/ARCHITECTURE.md fixes
 * them): a client's retry never creates a second order or a second charge.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "orders_test"))
@QuarkusTestResource(value = DownstreamsMock.class, restrictToAnnotatedClass = true)
class OrderIdempotencyTest {

    /** Each test orders its own SKU, so the orders it placed can be counted. */
    private final String sku = "IDEM-" + UUID.randomUUID();
    private final String order = """
            {"userId":%%d,"currency":"EUR","items":[{"sku":"%s","quantity":%%d,"unitPrice":12.50}]}""".formatted(sku);

    @Inject
    DownstreamGuards circuits;

    @Inject
    IdempotencyKeys keys;

    @BeforeEach
    void healthyDownstreams() {
        Stubs.healthyDownstreams(circuits);
    }

    @Test
    void aRepeatWithTheSameKeyReplaysTheFirstAnswerAndPlacesOneOrder() {
        String key = UUID.randomUUID().toString();
        Response first = post(key, order.formatted(ACTIVE_USER, 2));
        first.then().statusCode(201).body("status", equalTo("CONFIRMED"));
        // the same request, differently spaced: the same request
        Response again = post(key, order.formatted(ACTIVE_USER, 2).replace(",", " , "));

        again.then().statusCode(201).header("Idempotent-Replayed", "true")
                .header("Location", first.header("Location"));
        assertThat(again.body().asString()).isEqualTo(first.body().asString());
        assertThat(ordersPlaced(ACTIVE_USER)).isEqualTo(1);
        assertThat(ordersCharged()).hasSize(1);
    }

    @Test
    void theSameKeyWithAnotherRequestIs422() {
        String key = UUID.randomUUID().toString();
        post(key, order.formatted(ACTIVE_USER, 2)).then().statusCode(201);

        post(key, order.formatted(ACTIVE_USER, 3))
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("/problems/idempotency-key-reused"));
        assertThat(ordersCharged()).hasSize(1);
    }

    @Test
    void twentyConcurrentRepeatsPlaceOneOrderAndTheOthersAreToldOrReplayed() throws Exception {
        Stubs.paymentAnswersAfter("COMPLETED", 300); // the first is still running while the others arrive
        String key = UUID.randomUUID().toString();
        String body = order.formatted(ACTIVE_USER, 1);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(20);
        List<Future<Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                answers.add(clients.submit(() -> {
                    start.await();
                    return post(key, body);
                }));
            }
            start.countDown();
            int created = 0;
            int inUse = 0;
            String orderLocation = null;
            for (Future<Response> answer : answers) {
                Response response = answer.get();
                if (response.statusCode() == 201) {
                    created++;
                    if (orderLocation == null) {
                        orderLocation = response.header("Location");
                    }
                    assertThat(response.header("Location")).isEqualTo(orderLocation);
                } else {
                    assertThat(response.statusCode()).isEqualTo(409);
                    assertThat(response.jsonPath().getString("type")).isEqualTo("/problems/idempotency-key-in-use");
                    inUse++;
                }
            }
            assertThat(created + inUse).isEqualTo(20);
            assertThat(inUse).as("repeats while the first was still running").isPositive();
        } finally {
            clients.shutdownNow();
        }
        assertThat(ordersPlaced(ACTIVE_USER)).isEqualTo(1);
        assertThat(ordersCharged()).hasSize(1);
        // once the first has answered, a repeat gets that answer
        post(key, body).then().statusCode(201).header("Idempotent-Replayed", "true");
    }

    @Test
    void aKeyBelongsToOneUser() {
        String key = UUID.randomUUID().toString();
        Stubs.user(2, "ACTIVE");
        post(key, order.formatted(ACTIVE_USER, 1)).then().statusCode(201);
        post(key, order.formatted(2, 1)).then().statusCode(201).header("Idempotent-Replayed", (String) null);

        assertThat(ordersPlaced(ACTIVE_USER)).isEqualTo(1);
        assertThat(ordersPlaced(2)).isEqualTo(1);
    }

    @Test
    void aRequestThatCreatedNoOrderFreesItsKeyForTheRetry() {
        long neverSeen = 777;
        mock().stubFor(get(urlEqualTo("/users/" + neverSeen))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                        .withFault(Fault.CONNECTION_RESET_BY_PEER)));
        String key = UUID.randomUUID().toString();
        post(key, order.formatted(neverSeen, 1)).then().statusCode(503);

        circuits.all().forEach(DownstreamGuard::reset);
        Stubs.user(neverSeen, "ACTIVE");
        post(key, order.formatted(neverSeen, 1)).then().statusCode(201).body("status", equalTo("CONFIRMED"))
                .header("Idempotent-Replayed", (String) null);
        assertThat(ordersPlaced(neverSeen)).isEqualTo(1);
    }

    @Test
    void aMalformedKeyIs400() {
        post("two words", order.formatted(ACTIVE_USER, 1))
                .then().statusCode(400).contentType("application/problem+json");
        post("x".repeat(256), order.formatted(ACTIVE_USER, 1)).then().statusCode(400);
    }

    @Test
    void keysAreForgottenAfterTheirRetention() throws SQLException {
        String key = UUID.randomUUID().toString();
        post(key, order.formatted(ACTIVE_USER, 1)).then().statusCode(201);
        try (Connection db = LocalBackends.connect("orders_test");
                PreparedStatement age = db.prepareStatement(
                        "update idempotency_key set created_at = now() - interval '25 hours' where idem_key = ?")) {
            age.setString(1, key);
            assertThat(age.executeUpdate()).isEqualTo(1);
        }

        assertThat(keys.purgeExpired()).isPositive();
        assertThat(keyExists(ACTIVE_USER, key)).isFalse();
        assertThat(ordersPlaced(ACTIVE_USER)).isEqualTo(1); // the order itself stays
    }

    /** The order ids payment-service was asked to charge (retries of one charge count once). */
    private static Set<String> ordersCharged() {
        return mock().findAll(postRequestedFor(urlEqualTo("/payments"))).stream()
                .map(request -> new JsonPath(request.getBodyAsString()).getString("orderId"))
                .collect(Collectors.toSet());
    }

    private static Response post(String key, String body) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post("/orders");
    }

    /** Orders this test placed for the user. */
    private long ordersPlaced(long userId) {
        return count("""
                select count(distinct o.id) from orders o join order_item i on i.order_id = o.id
                where o.user_id = ? and i.sku = ?""", userId, sku);
    }

    private static boolean keyExists(long userId, String key) {
        return count("select count(*) from idempotency_key where user_id = ? and idem_key = ?", userId, key) > 0;
    }

    private static long count(String sql, long userId, String text) {
        try (Connection db = LocalBackends.connect("orders_test");
                PreparedStatement count = db.prepareStatement(sql)) {
            count.setLong(1, userId);
            count.setString(2, text);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
