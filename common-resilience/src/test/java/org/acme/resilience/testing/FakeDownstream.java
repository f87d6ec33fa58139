package org.acme.resilience.testing;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import jakarta.ws.rs.WebApplicationException;

import io.smallrye.mutiny.Uni;

/**
 * A downstream whose behaviour a test switches at will, counting the calls that actually reached it. Its failures
 * look like the real ones: a 5xx or 4xx WebApplicationException, a refused connection, or no answer at all.
 */
public final class FakeDownstream implements Supplier<Uni<String>> {

    public enum Behaviour {
        ANSWER, FAIL_5XX, FAIL_4XX, REFUSE_CONNECTION, HANG
    }

    private final AtomicReference<Behaviour> behaviour = new AtomicReference<>(Behaviour.ANSWER);
    private final AtomicInteger reached = new AtomicInteger();

    public FakeDownstream behave(Behaviour value) {
        behaviour.set(value);
        return this;
    }

    public int reached() {
        return reached.get();
    }

    @Override
    public Uni<String> get() {
        return Uni.createFrom().deferred(() -> {
            reached.incrementAndGet();
            return switch (behaviour.get()) {
                case ANSWER -> Uni.createFrom().item("ok");
                case FAIL_5XX -> Uni.createFrom().failure(new WebApplicationException(503));
                case FAIL_4XX -> Uni.createFrom().failure(new WebApplicationException(404));
                case REFUSE_CONNECTION -> Uni.createFrom().failure(new java.net.ConnectException("Connection refused"));
                case HANG -> Uni.createFrom().nothing();
            };
        });
    }
}
