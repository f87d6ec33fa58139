package org.acme.order;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.acme.order.Stubs.mock;
import static org.acme.order.Stubs.placeOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import jakarta.inject.Inject;

import org.acme.order.messaging.UserStatusFeed;
import org.acme.resilience.guard.DownstreamGuards;
import org.acme.resilience.testing.EventTap;
import org.acme.resilience.testing.LocalBackends;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * user-service's {@code user.status-changed}, published on the real exchange, reaches this instance's own queue: a
 * user blocked after their answer was cached is refused while user-service is down, instead of being served the
 * cached ACTIVE answer; a user with no newer status is still served from the cache.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "orders_test"))
@QuarkusTestResource(value = DownstreamsMock.class, restrictToAnnotatedClass = true)
class UserStatusEventsTest {

    static EventTap rabbit;

    @Inject
    DownstreamGuards circuits;

    @Inject
    UserStatusFeed feed;

    @BeforeAll
    static void tap() {
        rabbit = EventTap.bind("user.status-changed");
    }

    @AfterAll
    static void untap() throws Exception {
        rabbit.close();
    }

    @BeforeEach
    void healthyDownstreams() {
        Stubs.healthyDownstreams(circuits);
        Stubs.paymentAnswers("COMPLETED");
    }

    private static void userServiceFails(long userId) {
        mock().stubFor(get(urlEqualTo("/users/" + userId)).willReturn(Stubs.problem(500)));
    }

    @Test
    void aUserBlockedAfterTheirAnswerWasCachedIsRefusedWhileUserServiceIsDown() throws Exception {
        long user = 31;
        Stubs.user(user, "ACTIVE");
        placeOrder(user).then().statusCode(201).body("userFromCache", equalTo(false));
        userServiceFails(user);
        placeOrder(user).then().statusCode(201).body("userFromCache", equalTo(true)); // the cache stands in

        rabbit.publishEvent("user.status-changed", String.valueOf(user),
                "{\"userId\":%d,\"status\":\"BLOCKED\",\"statusVersion\":1}".formatted(user));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> feed.lastVersion(user).orElse(0L) == 1L);

        placeOrder(user).then().statusCode(503).contentType("application/problem+json")
                .body("type", equalTo("/problems/downstream-unavailable"));
        assertThat(feed.listening()).isTrue();
    }

    @Test
    void aUserWithNoNewerStatusIsStillServedFromTheCache() throws Exception {
        long user = 32;
        Stubs.user(user, "ACTIVE");
        placeOrder(user).then().statusCode(201).body("userFromCache", equalTo(false));
        rabbit.publishEvent("user.status-changed", "33", "{\"userId\":33,\"status\":\"BLOCKED\",\"statusVersion\":4}");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> feed.lastVersion(33).isPresent());
        userServiceFails(user);

        placeOrder(user).then().statusCode(201).body("userFromCache", equalTo(true)).body("status", equalTo("CONFIRMED"));
    }

    @Test
    void aFreshAnswerAfterTheChangeIsServedAndCachedAgain() throws Exception {
        long user = 34;
        rabbit.publishEvent("user.status-changed", String.valueOf(user),
                "{\"userId\":%d,\"status\":\"ACTIVE\",\"statusVersion\":2}".formatted(user));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> feed.lastVersion(user).orElse(0L) == 2L);
        mock().stubFor(get(urlEqualTo("/users/" + user)).willReturn(com.github.tomakehurst.wiremock.client.WireMock
                .okJson("{\"id\":%d,\"name\":\"U\",\"email\":\"u@example.org\",\"status\":\"ACTIVE\",\"statusVersion\":2}"
                        .formatted(user))));
        placeOrder(user).then().statusCode(201).body("userFromCache", equalTo(false));
        userServiceFails(user);

        placeOrder(user).then().statusCode(201).body("userFromCache", equalTo(true));
    }
}
