package org.acme.resilience.consume;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.acme.resilience.events.DomainEvent;
import org.acme.resilience.events.MalformedEventException;
import org.acme.resilience.topology.Topology;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * A consumer of the library's own, wired the way a service wires one (an {@code @Incoming} channel on a topology
 * queue, each message handed to {@link ReliableConsumer}), present only in {@link ReliableConsumerTest}'s
 * application. Its one handled type fails as the event's subject asks: {@code fail-<n>:...} throws a transient
 * failure on the first n attempts, {@code always-fail:...} on every one, {@code malformed:...} a
 * {@link MalformedEventException}; anything else succeeds. Every attempt and every effect is recorded by subject.
 */
@IfBuildProperty(name = "test.library-consumer", stringValue = "true")
@ApplicationScoped
public class LibraryConsumer {

    static final String CHANNEL = "library-events";
    static final String QUEUE = Topology.PAYMENT_ORDER_EVENTS.name() + ReliableConsumerTest.SUFFIX;
    static final String HANDLED = "order.library-handled";
    static final String IGNORED = "order.library-ignored";

    private final ReliableConsumer consumer;
    private final Subscription subscription;
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final List<String> effects = new CopyOnWriteArrayList<>();
    private final List<String> settled = new CopyOnWriteArrayList<>();

    public LibraryConsumer(ReliableConsumer consumer) {
        this.consumer = consumer;
        this.subscription = new Subscription(QUEUE, Map.of(HANDLED, this::handle), Set.of(IGNORED));
    }

    void onStart(@Observes StartupEvent start) {
        consumer.prepare(QUEUE);
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = false)
    public CompletionStage<Void> onEvent(Message<?> message) {
        String body = message.getPayload() instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : "";
        return consumer.consume(message, subscription).thenRun(() -> settled.add(body));
    }

    private void handle(DomainEvent event) {
        String subject = event.subject();
        int attempt = attempts.computeIfAbsent(subject, s -> new AtomicInteger()).incrementAndGet();
        if (subject.startsWith("malformed:")) {
            throw new MalformedEventException("the handler can never handle " + subject);
        }
        if (subject.startsWith("always-fail:")
                || subject.startsWith("fail-") && attempt <= Integer.parseInt(subject.substring(5, subject.indexOf(':')))) {
            throw new IllegalStateException("attempt " + attempt + " of " + subject + " failed");
        }
        effects.add(subject);
    }

    /** How often the handler ran for {@code subject}, failed runs included. */
    int attempts(String subject) {
        AtomicInteger count = attempts.get(subject);
        return count == null ? 0 : count.get();
    }

    /** How many deliveries whose body mentions {@code text} were settled (acknowledged, parked or dead-lettered). */
    long settled(String text) {
        return settled.stream().filter(body -> body.contains(text)).count();
    }

    /** How often the handler's effect happened for {@code subject}. */
    long effects(String subject) {
        return effects.stream().filter(subject::equals).count();
    }
}
