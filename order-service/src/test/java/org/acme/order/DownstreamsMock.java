package org.acme.order;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * One WireMock server standing in for user-service and payment-service, found by order-service through Stork's static
 * discovery like the real ones. Tests stub their answers (errors, latency) and count the requests that reached them.
 */
public class DownstreamsMock implements QuarkusTestResourceLifecycleManager {

    private static WireMockServer server;

    public static WireMockServer server() {
        return server;
    }

    /** Stops answering: connections to the downstreams are refused, as when their processes are killed. */
    public static void kill() {
        server.stop();
    }

    /** Answers again on the same port, as when the killed processes are restarted. */
    public static void restart() {
        if (!server.isRunning()) {
            server.start();
        }
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().port(freePort()));
        server.start();
        String address = "localhost:" + server.port();
        return Map.of(
                "quarkus.stork.user-service.service-discovery.address-list", address,
                "quarkus.stork.payment-service.service-discovery.address-list", address);
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
