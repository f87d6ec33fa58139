package org.acme.order;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.restassured.RestAssured.given;
import static org.acme.order.Stubs.ACTIVE_USER;
import static org.acme.order.Stubs.placeOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.acme.resilience.discovery.ConsulLookup;
import org.acme.resilience.guard.DownstreamGuard;
import org.acme.resilience.guard.DownstreamGuards;
import org.acme.resilience.testing.ConsulDoubleResource;
import org.acme.resilience.testing.ConsulHttp;
import org.acme.resilience.testing.LocalBackends;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.stork.Stork;
import io.smallrye.stork.api.ServiceInstance;

/**
 * order-service finds user-service and payment-service in Consul (ACLs on, default deny, with its one token): only
 * instances whose checks pass, spread over
 * several, surviving the loss of one, and with no instance at all counted as a failure that opens the circuit. The
 * dashboard reads the circuits of every passing instance (an operator surface: with the admin token).
 */
@QuarkusTest
@TestProfile(DashboardFixtures.WithTokens.class)
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "orders_test"))
@QuarkusTestResource(value = ConsulDoubleResource.class, restrictToAnnotatedClass = true)
class ConsulDiscoveryTest {

    static WireMockServer users;
    static WireMockServer paymentA;
    static WireMockServer paymentB;

    @Inject
    DownstreamGuards circuits;

    @BeforeAll
    static void startInstances() {
        users = started();
        paymentA = started();
        paymentB = started();
    }

    @AfterAll
    static void stopInstances() {
        if (users == null) {
            return;
        }
        users.stop();
        paymentA.stop();
        paymentB.stop();
    }

    private static WireMockServer started() {
        WireMockServer server = new WireMockServer(options().dynamicPort());
        server.start();
        return server;
    }

    /** A healthy instance: ready, knows user 1, and pays every order. */
    private static void healthy(WireMockServer server) {
        server.resetAll();
        server.stubFor(get(urlEqualTo("/q/health/ready")).willReturn(okJson("{\"status\":\"UP\"}")));
        server.stubFor(get(urlEqualTo("/resilience/circuits")).willReturn(okJson("[]")));
        server.stubFor(get(urlEqualTo("/users/" + ACTIVE_USER)).willReturn(okJson(
                "{\"id\":1,\"name\":\"Alice\",\"email\":\"alice@example.org\",\"status\":\"ACTIVE\"}")));
        // a payment of the terms asked for: order-service checks them (issue 24 item 3)
        server.stubFor(post(urlEqualTo("/payments")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withTransformers("response-template")
                .withBody("{\"id\":\"" + UUID.randomUUID() + "\",\"status\":\"COMPLETED\","
                        + "\"orderId\":\"{{jsonPath request.body '$.orderId'}}\","
                        + "\"amount\":{{jsonPath request.body '$.amount'}},"
                        + "\"currency\":\"{{jsonPath request.body '$.currency'}}\"}")));
    }

    private static void register(ConsulHttp consul, String name, WireMockServer instance, boolean checkPasses) {
        String checkUrl = checkPasses ? instance.baseUrl() + "/q/health/ready" : "http://127.0.0.1:1/q/health/ready";
        consul.register(name + "-" + instance.port(), name, "127.0.0.1", instance.port(), checkUrl);
    }

    private static void awaitPassing(ConsulHttp consul, String name, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> consul.passing(name).size() == count);
    }

    /** Waits until order-service's own discovery (what its REST clients use) sees exactly these instances. */
    private static void awaitDiscovered(String name, WireMockServer... instances) {
        Set<Integer> expected = Arrays.stream(instances).map(WireMockServer::port).collect(Collectors.toSet());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Stork.getInstance().getService(name)
                .getInstances().await().atMost(Duration.ofSeconds(5)).stream().map(ServiceInstance::getPort)
                .collect(Collectors.toSet()).equals(expected));
    }

    @BeforeEach
    void registerInstances() {
        ConsulHttp consul = ConsulDoubleResource.api();
        for (WireMockServer server : new WireMockServer[] { users, paymentA, paymentB }) {
            if (!server.isRunning()) {
                server.start();
            }
            healthy(server);
        }
        consul.deregister("payment-service-" + paymentA.port());
        consul.deregister("payment-service-" + paymentB.port());
        register(consul, "user-service", users, true);
        awaitPassing(consul, "user-service", 1);
        awaitDiscovered("user-service", users);
        circuits.all().forEach(DownstreamGuard::reset);
    }

    @Test
    void onlyInstancesWhoseChecksPassAreCalled() {
        ConsulHttp consul = ConsulDoubleResource.api();
        register(consul, "payment-service", paymentA, true);
        register(consul, "payment-service", paymentB, false);
        awaitPassing(consul, "payment-service", 1);
        awaitDiscovered("payment-service", paymentA);

        for (int i = 0; i < 6; i++) {
            placeOrder(ACTIVE_USER).then().statusCode(201).body("status", equalTo("CONFIRMED"));
        }
        paymentA.verify(6, postRequestedFor(urlEqualTo("/payments")));
        paymentB.verify(0, postRequestedFor(urlEqualTo("/payments")));
    }

    @Test
    void callsAreSpreadOverInstancesAndLosingOneFailsNoOrder() {
        ConsulHttp consul = ConsulDoubleResource.api();
        register(consul, "payment-service", paymentA, true);
        register(consul, "payment-service", paymentB, true);
        awaitPassing(consul, "payment-service", 2);
        awaitDiscovered("payment-service", paymentA, paymentB);

        for (int i = 0; i < 6; i++) {
            placeOrder(ACTIVE_USER).then().statusCode(201).body("status", equalTo("CONFIRMED"));
        }
        assertThat(paymentA.findAll(postRequestedFor(urlEqualTo("/payments")))).isNotEmpty();
        assertThat(paymentB.findAll(postRequestedFor(urlEqualTo("/payments")))).isNotEmpty();

        paymentB.stop(); // killed: Consul still lists it as passing until its next check
        for (int i = 0; i < 10; i++) {
            placeOrder(ACTIVE_USER).then().statusCode(201).body("status", equalTo("CONFIRMED"));
        }
        // no longer routed to within one check interval (1 s) plus one lookup refresh (1 s), with some slack
        Awaitility.await().atMost(Duration.ofSeconds(4)).untilAsserted(() -> assertThat(Stork.getInstance()
                .getService("payment-service").getInstances().await().atMost(Duration.ofSeconds(2)))
                .extracting(ServiceInstance::getPort).containsExactly(paymentA.port()));
        given().get("/resilience/circuits").then()
                .body("find { it.name == 'payment-service' }.state", equalTo("CLOSED"));
    }

    @Test
    void noInstanceInDiscoveryCountsAsAFailureAndOpensTheCircuit() {
        awaitDiscovered("payment-service"); // no payment-service registered any more

        placeOrder(ACTIVE_USER).then().statusCode(201)
                .body("status", equalTo("CANCELLED"))
                .body("reason", equalTo("payment-service unreachable: no instance available"));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            placeOrder(ACTIVE_USER).then().statusCode(201).body("status", equalTo("CANCELLED"));
            return "OPEN".equals(paymentCircuit());
        });

        // an instance appears again: after the circuit's delay (4 s in tests) a probe goes through and it closes
        ConsulHttp consul = ConsulDoubleResource.api();
        register(consul, "payment-service", paymentA, true);
        awaitPassing(consul, "payment-service", 1);
        Awaitility.await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> "CONFIRMED".equals(placeOrder(ACTIVE_USER).then().extract().path("status")));
        assertThat(paymentCircuit()).isEqualTo("CLOSED");
    }

    @Test
    void whenConsulGoesAwayCallsKeepUsingTheLastKnownInstances() {
        ConsulHttp consul = ConsulDoubleResource.api();
        register(consul, "payment-service", paymentA, true);
        awaitPassing(consul, "payment-service", 1);
        awaitDiscovered("payment-service", paymentA);
        placeOrder(ACTIVE_USER).then().statusCode(201).body("status", equalTo("CONFIRMED"));

        ConsulLookup lookup = (ConsulLookup) Stork.getInstance().getService("payment-service").getServiceDiscovery();
        long failedBefore = lookup.failures();
        ConsulDoubleResource.consul().stop();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> { // at least two discovery refreshes fail
                awaitDiscovered("payment-service", paymentA);
                return lookup.failures() >= failedBefore + 2;
            });
            for (int i = 0; i < 3; i++) {
                placeOrder(ACTIVE_USER).then().statusCode(201).body("status", equalTo("CONFIRMED"));
            }
        } finally {
            ConsulDoubleResource.consul().start();
        }
    }

    @Test
    void theDashboardReadsTheCircuitsOfEveryPassingInstance() {
        ConsulHttp consul = ConsulDoubleResource.api();
        paymentB.stubFor(get(urlEqualTo("/resilience/circuits")).willReturn(okJson(
                "[{\"name\": \"ledger-service\", \"state\": \"OPEN\"}]")));
        register(consul, "payment-service", paymentA, true);
        register(consul, "payment-service", paymentB, true);
        awaitPassing(consul, "payment-service", 2);

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().header("X-Admin-Token", DashboardFixtures.ADMIN_TOKEN).get("/dashboard/circuits")
                .then().statusCode(200)
                .body("findAll { it.service == 'payment-service' }.instance", containsInAnyOrder(
                        "127.0.0.1:" + paymentA.port(), "127.0.0.1:" + paymentB.port()))
                .body("find { it.instance == '127.0.0.1:" + paymentB.port() + "' }.circuits[0].state",
                        equalTo("OPEN"))
                .body("find { it.service == 'user-service' }.instance", equalTo("127.0.0.1:" + users.port())));

        consul.deregister("payment-service-" + paymentA.port());
        consul.deregister("payment-service-" + paymentB.port());
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().header("X-Admin-Token", DashboardFixtures.ADMIN_TOKEN).get("/dashboard/circuits")
                .then().statusCode(200)
                .body("find { it.service == 'payment-service' }.reachable", equalTo(false))
                .body("find { it.service == 'payment-service' }.problem", equalTo("no instance found in discovery")));
    }

    private static String paymentCircuit() {
        return given().get("/resilience/circuits").then().extract().path("find { it.name == 'payment-service' }.state");
    }
}
