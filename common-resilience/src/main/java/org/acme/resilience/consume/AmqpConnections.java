package org.acme.resilience.consume;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

import com.rabbitmq.client.ConnectionFactory;

/**
 * Plain AMQP connection factories, for what the messaging connector does not do (dead-lettering with a reason,
 * retry queues, a dashboard's queue per watching page), set from the same {@code rabbitmq-*} settings as the
 * connector. Each injection point gets its own factory, to set its own recovery and timeouts.
 */
public class AmqpConnections {

    @Produces
    @Dependent
    ConnectionFactory factory(RabbitConfig rabbit) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(rabbit.host());
        factory.setPort(rabbit.port());
        factory.setUsername(rabbit.username());
        factory.setPassword(rabbit.password());
        return factory;
    }
}
