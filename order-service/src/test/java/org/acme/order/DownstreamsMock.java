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

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        String address = "localhost:" + server.port();
        return Map.of(
                "quarkus.stork.user-service.service-discovery.address-list", address,
                "quarkus.stork.payment-service.service-discovery.address-list", address);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
