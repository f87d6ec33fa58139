package org.acme.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.acme.order.client.Downstreams;
import org.acme.resilience.guard.DownstreamGuard;
import org.acme.resilience.guard.DownstreamGuards;
import org.acme.resilience.testing.EventTap;
import org.acme.resilience.testing.LocalBackends;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.Uni;

/**
 * A circuit that opens while order-service's database is away is announced once the database is back: its
 * {@code resilience.circuit.opened} event waits for the outbox, in order with what follows, instead of being dropped
 * (the chaos harness saw the chain of transitions broken: an OPEN, then HALF_OPEN→CLOSED, nothing between).
 */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "database", value = "orders_test"),
        @ResourceArg(name = "postgres-proxy", value = "true") })
@QuarkusTestResource(value = DownstreamsMock.class, restrictToAnnotatedClass = true)
class CircuitEventsDuringDatabaseOutageTest {

    @Inject
    DownstreamGuards circuits;

    @AfterEach
    void databaseBack() throws Exception {
        LocalBackends.postgresProxy().restore();
    }

    @Test
    void aTransitionWhileTheDatabaseIsAwayIsAnnouncedWhenItIsBack() throws Exception {
        DownstreamGuard payments = circuits.get(Downstreams.PAYMENT_SERVICE);
        payments.reset();
        try (EventTap events = EventTap.bind("resilience.circuit.*")) {
            LocalBackends.postgresProxy().cut();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                payments.call(() -> Uni.createFrom().failure(new IOException("payment-service unreachable")))
                        .onFailure().recoverWithNull().await().indefinitely();
                return payments.state() == CircuitBreakerState.OPEN;
            });
            String openedAt = payments.lastTransition().toString();
            payments.reset(); // a second transition, OPEN -> CLOSED, to be announced after the first
            String closedAt = payments.lastTransition().toString();
            // longer than one failed attempt to record them takes
            Thread.sleep(3_000);

            LocalBackends.postgresProxy().restore();

            // these two transitions, told from any other process's on the same broker by their instants
            EventTap.Received opened = events.await(e -> "resilience.circuit.opened".equals(e.routingKey())
                    && openedAt.equals(e.body().path("data").path("at").asText()), Duration.ofSeconds(30));
            EventTap.Received closed = events.await(e -> "resilience.circuit.closed".equals(e.routingKey())
                    && closedAt.equals(e.body().path("data").path("at").asText()), Duration.ofSeconds(30));
            assertThat(opened.subject()).isEqualTo(Downstreams.PAYMENT_SERVICE);
            assertThat(opened.body().path("data").path("from").asText()).isEqualTo("CLOSED");
            assertThat(closed.body().path("data").path("from").asText()).isEqualTo("OPEN");
            List<EventTap.Received> ofPayments = events.forSubject(Downstreams.PAYMENT_SERVICE);
            assertThat(ofPayments.indexOf(opened)).isLessThan(ofPayments.indexOf(closed));
        }
    }
}
