package org.acme.resilience.consume;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** The broker, as the messaging connector's own {@code rabbitmq-*} settings name it, with the connector's defaults. */
@ConfigMapping(prefix = "")
public interface RabbitConfig {

    @WithName("rabbitmq-host")
    @WithDefault("localhost")
    String host();

    @WithName("rabbitmq-port")
    @WithDefault("5672")
    int port();

    @WithName("rabbitmq-username")
    @WithDefault("guest")
    String username();

    @WithName("rabbitmq-password")
    @WithDefault("guest")
    String password();
}
