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
        return Map.ofEntries(
                Map.entry("discovery.type", "consul"),
                Map.entry("discovery.consul.host", "127.0.0.1"),
                Map.entry("discovery.consul.port", String.valueOf(consul.port())),
                Map.entry("discovery.consul.acl-token", consul.aclToken()),
                Map.entry("discovery.consul.service-address", "127.0.0.1"),
                Map.entry("discovery.consul.check-interval", "1s"),
                Map.entry("discovery.consul.verify-interval", "1s"),
                Map.entry("discovery.consul.retry-max-delay", "1s"),
                Map.entry("discovery.refresh-period", "1s"),
                // generous, so a busy build machine is not mistaken for a hung Consul (ConsulLookupTest tests that)
                Map.entry("discovery.lookup-timeout", "3s"));
    }

    @Override
    public void stop() {
        if (consul != null) {
            consul.close();
            consul = null;
        }
    }
}
