package org.acme.order;

import static org.acme.order.Stubs.placeOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.acme.resilience.testing.LocalBackends;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A hung user-service, seen from the wire: each attempt's HTTP connection is closed at the guard's deadline (500 ms in
 * tests), not left open until the REST client's read timeout (30 s here), so the attempt gives its bulkhead slot back
 * at once and a hung downstream holds no sockets.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "orders_test"))
@QuarkusTestResource(value = HungDownstream.class, restrictToAnnotatedClass = true)
class AttemptCancellationTest {

    @Test
    void eachTimedOutAttemptsConnectionIsClosedAtTheDeadline() {
        placeOrder(Stubs.ACTIVE_USER).then().statusCode(503).contentType("application/problem+json")
                .body("type", equalTo("/problems/downstream-unavailable"));

        // user-service's policy: 1 attempt and 2 retries, 500 ms each
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> HungDownstream.closedAfter.size() >= 3);
        assertThat(HungDownstream.closedAfter).allSatisfy(open -> assertThat(open)
                .as("closed by the deadline, long before the 30 s read timeout").isLessThan(Duration.ofSeconds(5)));
    }
}
