package org.acme.resilience.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.acme.resilience.topology.Topology;
import org.acme.resilience.topology.TopologyDeclarer;
import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * An independent consumer on the real {@code domain_events} exchange: a temporary queue bound to a pattern, recording
 * every message with its AMQP properties, as any other subscriber would see it. Also publishes raw messages.
 */
public final class EventTap implements AutoCloseable {

    public static final String EXCHANGE = Topology.DOMAIN_EVENTS;
    /** The suffix of consumer queue names in tests ({@code %test.events.topology.queue-suffix}). */
    public static final String TEST_QUEUE_SUFFIX = ".test";

    /** One received message: its routing key, AMQP properties and body parsed as JSON (null if it is not JSON). */
    public record Received(String routingKey, AMQP.BasicProperties properties, JsonNode body) {
        public String type() {
            return body == null ? null : body.path("type").asText(null);
        }

        public String subject() {
            return body == null ? null : body.path("subject").asText(null);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final Channel channel;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private EventTap(String pattern) throws IOException, TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(LocalBackends.RABBIT_HOST);
        factory.setPort(LocalBackends.RABBIT_PORT);
        factory.setUsername("guest");
        factory.setPassword("guest");
        connection = factory.newConnection("event-tap");
        channel = connection.createChannel();
        // The shared topology, as every declarer applies it: a tap never disagrees with a service about the exchange.
        TopologyDeclarer.declareExchanges(connection, Topology.domainEvents(TEST_QUEUE_SUFFIX));
        String queue = channel.queueDeclare().getQueue();
        channel.queueBind(queue, EXCHANGE, pattern);
        channel.basicConsume(queue, true, (tag, delivery) -> received.add(new Received(
                delivery.getEnvelope().getRoutingKey(), delivery.getProperties(), parse(delivery.getBody()))),
                tag -> {
                });
    }

    /** Starts recording everything published on {@code domain_events} whose routing key matches {@code pattern}. */
    public static EventTap bind(String pattern) {
        try {
            return new EventTap(pattern);
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("RabbitMQ is needed by the tests: " + e.getMessage(), e);
        }
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> forSubject(String subject) {
        return received.stream().filter(r -> subject.equals(r.subject())).toList();
    }

    /** Waits until a recorded message matches, and returns it. */
    public Received await(Predicate<Received> match, Duration atMost) {
        return Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(50))
                .until(() -> received.stream().filter(match).findFirst().orElse(null), r -> r != null);
    }

    /** Publishes a raw, persistent message on {@code domain_events}, as a foreign producer would. */
    public void publish(String routingKey, String body) throws IOException {
        channel.basicPublish(EXCHANGE, routingKey, new AMQP.BasicProperties.Builder().deliveryMode(2)
                .contentType("application/json").build(), body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Publishes a well-formed event envelope, as another service's outbox relay would.
     *
     * @return the event id
     */
    public String publishEvent(String type, String subject, String dataJson) throws IOException {
        return publishEvent(java.util.UUID.randomUUID().toString(), type, subject, dataJson);
    }

    /** Publishes a well-formed event envelope with a given id, e.g. to deliver the same event twice. */
    public String publishEvent(String id, String type, String subject, String dataJson) throws IOException {
        publish(type, """
                {"specversion":"1.0","id":"%s","source":"test","type":"%s","time":"2026-01-01T00:00:00Z",\
                "subject":"%s","datacontenttype":"application/json","data":%s}""".formatted(id, type, subject,
                dataJson));
        return id;
    }

    /** Publishes raw bytes on {@code domain_events}, e.g. a body that is not JSON at all. */
    public void publishBytes(String routingKey, byte[] body) throws IOException {
        channel.basicPublish(EXCHANGE, routingKey, new AMQP.BasicProperties.Builder().deliveryMode(2).build(), body);
    }

    /** Takes every message now waiting in {@code queue} (e.g. a dead-letter queue), acknowledging them. */
    public List<com.rabbitmq.client.GetResponse> drain(String queue) throws IOException {
        List<com.rabbitmq.client.GetResponse> messages = new java.util.ArrayList<>();
        com.rabbitmq.client.GetResponse message;
        while ((message = channel.basicGet(queue, true)) != null) {
            messages.add(message);
        }
        return messages;
    }

    @Override
    public void close() throws IOException, TimeoutException {
        connection.close();
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
