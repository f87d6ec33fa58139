package org.acme.resilience.testing;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

/**
 * A downstream whose behaviour a test switches at will, counting the calls that actually reached it. Its failures
 * look like the real ones: a 5xx or 4xx WebApplicationException, a refused connection, no answer at all (a hang, which
 * notices when its caller cancels it, as the reactive REST client closes the connection), or a "not now" (429 with
 * {@code Retry-After}, 408, 503 with {@code Retry-After}).
 */
public final class FakeDownstream implements Supplier<Uni<String>> {

    public enum Behaviour {
        ANSWER, FAIL_5XX, FAIL_4XX, REFUSE_CONNECTION, HANG, TOO_MANY_REQUESTS, REQUEST_TIMEOUT, SHED
    }

    private final AtomicReference<Behaviour> behaviour = new AtomicReference<>(Behaviour.ANSWER);
    private final AtomicInteger reached = new AtomicInteger();
    private final AtomicInteger cancelled = new AtomicInteger();
    private final java.util.List<Long> reachedAt = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile String retryAfter = "1";

    /** The {@code Retry-After} value sent with 429 and 503 ({@code null}: none). */
    public FakeDownstream retryAfter(String value) {
        retryAfter = value;
        return this;
    }

    /** Calls that were cancelled while the downstream had not answered. */
    public int cancelled() {
        return cancelled.get();
    }

    /** When each call reached the downstream ({@link System#nanoTime()}). */
    public java.util.List<Long> reachedAt() {
        return reachedAt;
    }

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
            reachedAt.add(System.nanoTime());
            return switch (behaviour.get()) {
                case ANSWER -> Uni.createFrom().item("ok");
                case FAIL_5XX -> Uni.createFrom().failure(new WebApplicationException(503));
                case FAIL_4XX -> Uni.createFrom().failure(new WebApplicationException(404));
                case REFUSE_CONNECTION -> Uni.createFrom().failure(new java.net.ConnectException("Connection refused"));
                case HANG -> Uni.createFrom().<String>nothing().onCancellation().invoke(cancelled::incrementAndGet);
                case TOO_MANY_REQUESTS -> Uni.createFrom().failure(answer(429));
                case REQUEST_TIMEOUT -> Uni.createFrom().failure(new WebApplicationException(408));
                case SHED -> Uni.createFrom().failure(answer(503));
            };
        });
    }

    private WebApplicationException answer(int status) {
        Response.ResponseBuilder response = Response.status(status);
        if (retryAfter != null) {
            response.header("Retry-After", retryAfter);
        }
        return new WebApplicationException(response.build());
    }
}
