package org.acme.resilience.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import org.acme.resilience.classify.FailureClassifier;
import org.acme.resilience.testing.ConsulDouble;
import org.acme.resilience.testing.ConsulHttp;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.smallrye.stork.api.ServiceInstance;
import io.vertx.core.Vertx;

/**
 * Our Stork lookups against a Consul with ACLs on (a first lookup may time out while a busy machine warms Vert.x up,
 * so answers are awaited): they send the token, never hang, fall back to the last answer for
 * {@code discovery.last-known-for} and then fail, and say why when Consul hides instances from the token.
 */
class ConsulLookupTest {

    private final Vertx vertx = Vertx.vertx();
    private ConsulDouble consul;
    private HttpServer instance;

    @BeforeEach
    void start() throws IOException {
        consul = new ConsulDouble().start();
        instance = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        instance.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        instance.start();
        int port = instance.getAddress().getPort();
        new ConsulHttp(consul).register("payment-service-1", "payment-service", "127.0.0.1", port,
                "http://127.0.0.1:" + port + "/q/health/ready");
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> new ConsulHttp(consul).passing("payment-service").size() == 1);
    }

    @AfterEach
    void stop() {
        consul.close();
        instance.stop(0);
        vertx.close();
    }

    private static List<ServiceInstance> lookUp(ConsulLookup lookup) {
        return lookup.getServiceInstances().await().atMost(Duration.ofSeconds(5));
    }

    private static Throwable failureOf(ConsulLookup lookup) {
        return lookup.getServiceInstances().onItem().<Throwable>transform(found -> null)
                .onFailure().recoverWithItem(failure -> failure).await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void sendsTheTokenAndFindsThePassingInstances() {
        ConsulLookup lookup = new ConsulLookup("payment-service", DiscoverySettings.consul(consul), vertx);

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lookUp(lookup))
                .extracting(ServiceInstance::getPort).containsExactly(instance.getAddress().getPort()));
        assertThat(consul.requests()).filteredOn(r -> r.path().equals("/v1/health/service/payment-service"))
                .isNotEmpty().allSatisfy(r -> assertThat(r.token()).isEqualTo(consul.aclToken()));
    }

    @Test
    void aHungConsulFailsTheLookupAfterTheLookupTimeoutAsATechnicalFailure() {
        consul.freeze();
        ConsulLookup lookup = new ConsulLookup("payment-service",
                DiscoverySettings.consul(consul, "discovery.lookup-timeout", "500ms"), vertx);

        long start = System.nanoTime();
        Throwable failure = failureOf(lookup);
        assertThat(failure).isInstanceOf(DiscoveryFailedException.class)
                .hasMessageContaining("discovery.lookup-timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(FailureClassifier.classify(failure)).isEqualTo(FailureClassifier.Outcome.TECHNICAL);
        assertThat(FailureClassifier.describe(failure)).isEqualTo("unreachable: discovery failed");
        consul.thaw();
    }

    @Test
    void theLastKnownInstancesStandInForLastKnownForThenTheLookupFails() {
        ConsulLookup lookup = new ConsulLookup("payment-service",
                DiscoverySettings.consul(consul, "discovery.last-known-for", "1s"), vertx);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lookUp(lookup)).hasSize(1));

        consul.stop();
        Awaitility.await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            assertThat(lookUp(lookup)).extracting(ServiceInstance::getPort)
                    .containsExactly(instance.getAddress().getPort());
            assertThat(lookup.failures()).isGreaterThanOrEqualTo(2);
        });

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> failureOf(lookup) != null);
        assertThat(failureOf(lookup)).isInstanceOf(DiscoveryFailedException.class).hasMessageContaining("unreachable");

        consul.start(); // Consul is back: so are the instances
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> failureOf(lookup) == null);
        assertThat(lookUp(lookup)).hasSize(1);
    }

    @Test
    void anAnswerFilteredByAclsIsAFailureNamingTheTokenNotAnEmptyList() {
        ConsulDouble.Token orders = consul.addToken("may read order-* only", "order", "order");
        ConsulLookup lookup = new ConsulLookup("payment-service",
                DiscoverySettings.consul(consul, "discovery.consul.acl-token", orders.secretId()), vertx);

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(failureOf(lookup))
                .isInstanceOf(DiscoveryFailedException.class)
                .hasMessageContaining("discovery.consul.acl-token").hasMessageContaining("service:read"));
    }

    @Test
    void anUnknownTokenIsAFailureNamingTheSetting() {
        ConsulLookup lookup = new ConsulLookup("payment-service",
                DiscoverySettings.consul(consul, "discovery.consul.acl-token", "not-a-token"), vertx);

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(failureOf(lookup))
                .isInstanceOf(DiscoveryFailedException.class)
                .hasMessageContaining("DISCOVERY_CONSUL_ACL_TOKEN").hasMessageContaining("ACL not found"));
    }
}
