package org.acme.user;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.acme.resilience.events.EventCodec;
import org.acme.resilience.testing.AsyncApi;
import org.acme.resilience.testing.LocalBackends;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every event user-service publishes, built as its outbox builds it (the data records {@code UserResource} appends,
 * the envelope and JSON from the service's own {@link EventCodec}), matches the schema of its message in
 * {@code docs/asyncapi.yaml}.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "users_test"))
class EventsMatchAsyncApiTest {

    private static final AsyncApi ASYNC_API = AsyncApi.load();

    @Inject
    EventCodec codec;

    @ConfigProperty(name = "quarkus.application.name")
    String service;

    @Test
    void everyUserEventMatchesItsMessage() {
        assertMatches(UserEvents.REGISTERED, 42,
                new UserEvents.UserRegistered(42, "Ada Lovelace", "ada@example.org", UserStatus.ACTIVE));
        assertMatches(UserEvents.STATUS_CHANGED, 42, new UserEvents.UserStatusChanged(42, UserStatus.BLOCKED, 1));
        assertMatches(UserEvents.STATUS_CHANGED, 42, new UserEvents.UserStatusChanged(42, UserStatus.ACTIVE, 2));
    }

    private void assertMatches(String type, long userId, Object data) {
        String json = codec.encode(codec.envelope(service, type, String.valueOf(userId), data));
        assertThat(ASYNC_API.eventErrors(type, json)).as(json).isEmpty();
    }
}
