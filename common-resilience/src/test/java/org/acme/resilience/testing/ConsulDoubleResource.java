package org.acme.resilience.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Runs a Consul agent with ACLs on (default deny) for the service under test and switches it to Consul discovery with
 * the agent's token and short intervals: the
 * {@link ConsulDouble}, or a real {@code consul agent -dev} when a {@code consul} binary is on the PATH
 * ({@link ConsulAgent#create()}). Init arg {@code started=false} only reserves the agent's port, as a Consul that is
 * down when the service starts.
 */
public class ConsulDoubleResource implements QuarkusTestResourceLifecycleManager {

    private static ConsulAgent consul;
    private boolean started = true;

    public static ConsulAgent consul() {
        return consul;
    }

    public static ConsulHttp api() {
        return new ConsulHttp(consul);
    }

    @Override
    public void init(Map<String, String> initArgs) {
        started = Boolean.parseBoolean(initArgs.getOrDefault("started", "true"));
    }

    @Override
    public Map<String, String> start() {
        consul = ConsulAgent.create();
        if (started) {
            consul.start();
        }
        return Map.of(
                "discovery.type", "consul",
                "discovery.consul.host", "127.0.0.1",
                "discovery.consul.port", String.valueOf(consul.port()),
                "discovery.consul.acl-token", consul.aclToken(),
                "discovery.consul.service-address", "127.0.0.1",
                "discovery.consul.check-interval", "1s",
                "discovery.consul.verify-interval", "1s",
                "discovery.consul.retry-max-delay", "1s",
                "discovery.refresh-period", "1s");
    }

    @Override
    public void stop() {
        if (consul != null) {
            consul.close();
            consul = null;
        }
    }
}
