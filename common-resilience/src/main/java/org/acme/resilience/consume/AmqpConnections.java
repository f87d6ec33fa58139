package org.acme.resilience.consume;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.rabbitmq.client.ConnectionFactory;

/**
 * Plain AMQP connection factories, for what the messaging connector does not do (dead-lettering with a reason,
 * retry queues, a dashboard's queue per watching page), set from the same {@code rabbitmq-*} settings as the
 * connector. Each injection point gets its own factory, to set its own recovery and timeouts.
 */
public class AmqpConnections {

    @Produces
    @Dependent
    ConnectionFactory factory(@ConfigProperty(name = "rabbitmq-host", defaultValue = "localhost") String host,
            @ConfigProperty(name = "rabbitmq-port", defaultValue = "5672") int port,
            @ConfigProperty(name = "rabbitmq-username", defaultValue = "guest") String username,
            @ConfigProperty(name = "rabbitmq-password", defaultValue = "guest") String password) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        return factory;
    }
}
