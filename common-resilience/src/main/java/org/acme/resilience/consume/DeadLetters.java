package org.acme.resilience.consume;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.acme.resilience.topology.RetryLadder;
import org.acme.resilience.topology.Topology;
import org.acme.resilience.topology.TopologyDeclarer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

/**
 * The broker-side moves of reliable consumption, on a plain AMQP connection with publisher confirms: park a message
 * in a delay queue of the consumer's retry ladder, dead-letter it with a reason, count and replay its dead letters.
 *
 * <p>For a consumer queue {@code q} (see {@link Topology}): its dead letters go to exchange {@value #DLX} with routing key
 * {@code q} and land in {@code q.dlq}; each delay queue {@code q.retry.<delay>} holds a message for its delay and then
 * hands it back to {@code q} alone (through the default exchange), not to every subscriber of the event.
 *
 * <p>What "published" means is the same here as for the outbox relay: the broker confirmed it <em>and</em> a queue holds
 * it. On {@code domain_events} the alternate exchange guarantees the second part (an event no queue is bound for waits
 * in {@code domain_events.unrouted}); the default exchange and the dead-letter exchange have none, so these
 * publications are mandatory and a returned one is a failure, never a success.
 */
@ApplicationScoped
public class DeadLetters {

    public static final String DLX = Topology.DEAD_LETTER_EXCHANGE;
    public static final String REASON_HEADER = "x-dead-letter-reason";
    public static final String ATTEMPTS_HEADER = "x-retry-count";
    public static final String ORIGINAL_ROUTING_KEY_HEADER = "x-original-routing-key";
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(5);

    private final ConnectionFactory factory;
    private Connection connection;
    private Channel channel;
    private volatile boolean returned;

    public DeadLetters(ConnectionFactory factory) {
        this.factory = factory;
        factory.setAutomaticRecoveryEnabled(true);
    }

    /** Declares the delay queues of {@code q}'s retry ladder. */
    public synchronized void declareRetryLadder(String queue, RetryLadder ladder) throws IOException {
        channel();
        TopologyDeclarer.declareRetryLadder(connection, queue, ladder);
    }

    /**
     * Parks a message in {@code q}'s delay queue for {@code delay} (a rung of its ladder) before its next attempt;
     * returns once the broker has it.
     */
    public synchronized void retryLater(String queue, Duration delay, byte[] body, AMQP.BasicProperties original,
            String routingKey, int attempt) throws IOException {
        Map<String, Object> headers = headers(original, routingKey);
        headers.put(ATTEMPTS_HEADER, attempt);
        publish("", RetryLadder.rungQueue(queue, delay), original, headers, body);
    }

    /** Moves a message to {@code q.dlq} with the reason it cannot be handled; returns once the broker has it. */
    public synchronized void deadLetter(String queue, byte[] body, AMQP.BasicProperties original, String routingKey,
            String reason) throws IOException {
        Map<String, Object> headers = headers(original, routingKey);
        headers.put(REASON_HEADER, reason);
        publish(DLX, queue, original, headers, body);
    }

    /** How many messages wait in {@code q.dlq}. */
    public synchronized long deadLetterCount(String queue) throws IOException {
        return channel().queueDeclarePassive(dlq(queue)).getMessageCount();
    }

    /**
     * Moves up to {@code max} messages from {@code q.dlq} back to {@code q}, without their reason and retry count,
     * once the cause is fixed. Each one leaves the dead-letter queue only after the broker confirmed its republication.
     *
     * @return how many were moved
     */
    public synchronized int replay(String queue, int max) throws IOException {
        int moved = 0;
        while (moved < max) {
            GetResponse message = channel().basicGet(dlq(queue), false);
            if (message == null) {
                break;
            }
            Map<String, Object> headers = message.getProps().getHeaders() == null ? new HashMap<>()
                    : new HashMap<>(message.getProps().getHeaders());
            headers.remove(REASON_HEADER);
            headers.remove(ATTEMPTS_HEADER);
            headers.remove("x-death");
            publish("", queue, message.getProps(), headers, message.getBody());
            channel().basicAck(message.getEnvelope().getDeliveryTag(), false);
            moved++;
        }
        return moved;
    }

    public static String dlq(String queue) {
        return Topology.dlq(queue);
    }

    @PreDestroy
    synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException | RuntimeException e) {
                // shutting down anyway
            }
        }
    }

    private void publish(String exchange, String routingKey, AMQP.BasicProperties original,
            Map<String, Object> headers, byte[] body) throws IOException {
        AMQP.BasicProperties properties = original.builder().headers(headers).deliveryMode(2).expiration(null)
                .build();
        Channel ch = channel();
        returned = false;
        ch.basicPublish(exchange, routingKey, true, properties, body);
        try {
            ch.waitForConfirmsOrDie(CONFIRM_TIMEOUT.toMillis());
            // A mandatory message no queue took is returned before it is confirmed: confirmed is not delivered.
            if (returned) {
                throw new IOException("no queue is bound to " + (exchange.isEmpty() ? "(default)" : exchange)
                        + " with routing key " + routingKey);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the broker's confirm", e);
        } catch (TimeoutException e) {
            throw new IOException("the broker did not confirm within " + CONFIRM_TIMEOUT, e);
        }
    }

    private static Map<String, Object> headers(AMQP.BasicProperties original, String routingKey) {
        Map<String, Object> headers = original.getHeaders() == null ? new HashMap<>()
                : new HashMap<>(original.getHeaders());
        headers.putIfAbsent(ORIGINAL_ROUTING_KEY_HEADER, routingKey);
        return headers;
    }

    private Channel channel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            if (connection == null || !connection.isOpen()) {
                try {
                    connection = factory.newConnection("dead-letters");
                } catch (TimeoutException e) {
                    throw new IOException("cannot connect to RabbitMQ", e);
                }
            }
            channel = connection.createChannel();
            channel.confirmSelect();
            channel.addReturnListener(unroutable -> returned = true);
        }
        return channel;
    }
}
