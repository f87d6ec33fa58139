package org.acme.resilience.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.acme.resilience.testing.LocalBackends;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * The shared topology on the real broker, with names of its own so it touches nothing else: applied on a fresh broker,
 * and on one where an earlier version left the exchange without its alternate exchange and a classic consumer queue.
 */
class TopologyDeclarerTest {

    private final String prefix = "topology-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final Topology topology = new Topology(prefix, prefix + ".unrouted", prefix + ".dlx",
            List.of(new ConsumerQueue(prefix + ".consumer", List.of("order.*"))));
    private Connection connection;

    @BeforeEach
    void connect() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(LocalBackends.RABBIT_HOST);
        factory.setPort(LocalBackends.RABBIT_PORT);
        connection = factory.newConnection("topology-test");
    }

    @AfterEach
    void cleanUp() throws Exception {
        try (Channel channel = connection.createChannel()) {
            for (String queue : List.of(prefix + ".consumer", prefix + ".consumer.dlq", prefix + ".unrouted")) {
                channel.queueDelete(queue);
            }
            for (String exchange : List.of(prefix, prefix + ".unrouted", prefix + ".dlx")) {
                channel.exchangeDelete(exchange);
            }
        }
        connection.close();
    }

    @Test
    void onAFreshBrokerUnroutableMessagesLandInTheUnroutedQueueAndEveryDeclarerAgrees() throws Exception {
        TopologyDeclarer.apply(connection, topology);
        TopologyDeclarer.apply(connection, topology); // a second service
        TopologyDeclarer.declareExchanges(connection, topology); // a watcher

        publish("nobody.listens", "lost?");
        publish("order.cancelled", "routed");

        assertThat(awaitOne(prefix + ".unrouted")).isEqualTo("lost?");
        assertThat(awaitOne(prefix + ".consumer")).isEqualTo("routed");
    }

    @Test
    void anExchangeOfAnEarlierVersionIsMigratedAndItsConsumerQueueStaysBoundWithItsMessages() throws Exception {
        try (Channel old = connection.createChannel()) {
            old.exchangeDeclare(prefix, BuiltinExchangeType.TOPIC, true);
            old.queueDeclare(prefix + ".consumer", true, false, false, null); // classic, no arguments
            old.queueBind(prefix + ".consumer", prefix, "order.*");
            old.basicPublish(prefix, "order.created", null, "waiting".getBytes(StandardCharsets.UTF_8));
        }

        TopologyDeclarer.apply(connection, topology);

        publish("nobody.listens", "kept");
        publish("order.cancelled", "still routed");
        assertThat(awaitOne(prefix + ".unrouted")).isEqualTo("kept");
        assertThat(awaitOne(prefix + ".consumer")).isEqualTo("waiting");
        assertThat(awaitOne(prefix + ".consumer")).isEqualTo("still routed");
    }

    private void publish(String routingKey, String body) throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(topology.exchange(), routingKey, new AMQP.BasicProperties.Builder().deliveryMode(2)
                    .build(), body.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);
        }
    }

    private String awaitOne(String queue) {
        return Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> {
            try (Channel channel = connection.createChannel()) {
                var message = channel.basicGet(queue, true);
                return message == null ? null : new String(message.getBody(), StandardCharsets.UTF_8);
            }
        }, body -> body != null);
    }
}
