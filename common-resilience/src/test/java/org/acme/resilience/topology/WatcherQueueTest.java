package org.acme.resilience.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.acme.resilience.testing.LocalBackends;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

/**
 * A watcher queue on the real broker, through the same {@link WatcherQueue#declare} the dashboard uses, on an exchange
 * of its own: the broker keeps only the newest {@code maxLength} messages, the queue is its connection's alone, and
 * it is gone with it.
 */
class WatcherQueueTest {

    private final String exchange = "watcher-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final WatcherQueue description = new WatcherQueue(exchange + ".watcher", List.of("order.*"), 3);
    private ConnectionFactory factory;
    private Connection connection;

    @BeforeEach
    void connect() throws Exception {
        factory = new ConnectionFactory();
        factory.setHost(LocalBackends.RABBIT_HOST);
        factory.setPort(LocalBackends.RABBIT_PORT);
        connection = factory.newConnection("watcher-queue-test");
        try (Channel channel = connection.createChannel()) {
            channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, false, true, null);
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (connection.isOpen()) {
            connection.close(); // takes the exclusive queue, and with it the auto-delete exchange
        }
    }

    @Test
    void describesAnExclusiveClassicQueueThatDropsItsOldestMessages() {
        assertThat(description.arguments()).containsEntry("x-queue-type", "classic")
                .containsEntry("x-max-length", 3)
                .containsEntry("x-overflow", "drop-head");
        assertThatThrownBy(() -> new WatcherQueue("x", List.of("#"), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBrokerKeepsOnlyTheNewestMessagesOfAWatcherThatDoesNotRead() throws Exception {
        Channel channel = connection.createChannel();
        String queue = description.declare(channel, exchange);
        assertThat(queue).startsWith(exchange + ".watcher.");

        for (int i = 1; i <= 5; i++) {
            channel.basicPublish(exchange, "order.created", null, ("event " + i).getBytes(StandardCharsets.UTF_8));
        }
        channel.basicPublish(exchange, "user.registered", null, "not bound".getBytes(StandardCharsets.UTF_8));

        Awaitility.await().until(() -> channel.queueDeclarePassive(queue).getMessageCount() == 3);
        GetResponse oldestKept = channel.basicGet(queue, true);
        assertThat(new String(oldestKept.getBody(), StandardCharsets.UTF_8)).isEqualTo("event 3");
    }

    @Test
    void theQueueIsItsConnectionsAloneAndGoesWithIt() throws Exception {
        String queue = description.declare(connection.createChannel(), exchange);

        try (Connection other = factory.newConnection("watcher-queue-test-other")) {
            assertThatThrownBy(() -> other.createChannel().queueDeclarePassive(queue))
                    .isInstanceOf(IOException.class)
                    .hasStackTraceContaining("RESOURCE_LOCKED");

            connection.close();
            Awaitility.await().untilAsserted(() -> assertThatThrownBy(
                    () -> other.createChannel().queueDeclarePassive(queue))
                    .hasStackTraceContaining("NOT_FOUND"));
        }
    }
}
