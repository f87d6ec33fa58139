package org.acme.order;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.acme.order.Stubs.mock;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import org.acme.order.browser.Browser;
import org.acme.resilience.guard.DownstreamGuards;
import org.acme.resilience.testing.LocalBackends;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.github.tomakehurst.wiremock.http.Fault;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The dashboard in real headless browsers, Debian's Chromium and Firefox ESR: place an order and see it and its events
 * appear; make payment-service fail and see its circuit turn OPEN; make the other services unreachable and see their
 * cards say so while the rest of the page goes on; bring payment-service back and see its circuit close. A screenshot
 * of each state is saved under target/dashboard/&lt;browser&gt;/. The page is opened as the README's demo link opens
 * it, with the admin token in the address's fragment ({@code /dashboard/#token=…}), which the page exchanges for its
 * session cookie and then removes from the address.
 *
 * <p>Tagged {@code browser}: it needs the browsers installed, so it runs with {@code ./mvnw verify -Pbrowser}, not in
 * the default run.
 */
@Tag("browser")
@QuarkusTest
@TestProfile(DashboardFixtures.WithTokens.class)
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "orders_test"))
@QuarkusTestResource(value = DownstreamsMock.class, restrictToAnnotatedClass = true)
class DashboardBrowserTest {

    private static final String PAYMENT_CIRCUIT = ".card[data-service='order-service'][data-downstream='payment-service']";

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    DownstreamGuards circuits;

    Browser browser;

    @BeforeEach
    void healthyDownstreams() {
        Stubs.healthyDownstreams(circuits);
        mock().stubFor(get(urlEqualTo("/resilience/circuits")).willReturn(okJson("[]")));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "chromium", "firefox" })
    void showsOrdersEventsCircuitsAndUnreachableServices(String name) {
        browser = Browser.start(name);
        browser.open("http://localhost:" + port + "/dashboard/#token=" + DashboardFixtures.ADMIN_TOKEN);
        waitUntil(() -> "CLOSED".equals(attribute(PAYMENT_CIRCUIT, "state")));
        waitUntil(() -> "live".equals(textOf("#stream-status")));
        // the token left the address bar (and the history) once it was exchanged for the session cookie
        assertThat(browser.script("return location.href;")).doesNotContain("token");
        assertThat(textOf("#session-role")).isEqualTo("admin session");
        // the services order-service calls, read through discovery: reachable, with no circuits of their own
        waitUntil(() -> "true".equals(attribute(".card[data-service='payment-service']", "reachable"))
                && "true".equals(attribute(".card[data-service='user-service']", "reachable")));

        browser.click("place-valid");
        waitUntil(() -> textOf("#place-result").contains("CONFIRMED"));
        String orderId = textOf("#place-result").split(" ")[0];
        waitUntil(() -> exists("#orders tr[data-order^='" + orderId + "'] td.CONFIRMED"));
        waitUntil(() -> exists("#events li[data-routing-key='order.confirmed'][data-subject^='" + orderId + "']"));
        assertThat(exists("#events li[data-routing-key='order.created'][data-subject^='" + orderId + "']")).isTrue();
        screenshot("1-order-confirmed");

        Stubs.paymentFailsWith(500);
        clickUntil("place-valid", () -> "OPEN".equals(attribute(PAYMENT_CIRCUIT, "state")));
        waitUntil(() -> exists("#events li[data-routing-key='resilience.circuit.opened']"));
        screenshot("2-payment-circuit-open");

        mock().stubFor(get(urlEqualTo("/resilience/circuits"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        waitUntil(() -> "false".equals(attribute(".card[data-service='payment-service']", "reachable"))
                && textOf(".card[data-service='payment-service'] .state").equals("unreachable"));
        assertThat(attribute(PAYMENT_CIRCUIT, "state")).isEqualTo("OPEN"); // the rest of the page goes on
        screenshot("3-services-unreachable");

        mock().stubFor(get(urlEqualTo("/resilience/circuits")).willReturn(okJson("[]")));
        Stubs.paymentAnswers("COMPLETED");
        clickUntil("place-valid", () -> "CLOSED".equals(attribute(PAYMENT_CIRCUIT, "state")));
        waitUntil(() -> "true".equals(attribute(".card[data-service='payment-service']", "reachable")));
        screenshot("4-payment-circuit-closed");
    }

    private String textOf(String css) {
        return browser.script("const e = document.querySelector(" + quote(css) + "); return e ? e.textContent : '';");
    }

    private String attribute(String css, String data) {
        return browser.script("const e = document.querySelector(" + quote(css) + "); return e ? e.dataset."
                + data + " : null;");
    }

    private boolean exists(String css) {
        return "true".equals(browser.script("return String(document.querySelector(" + quote(css) + ") !== null);"));
    }

    private void screenshot(String state) {
        browser.screenshot(Path.of("target", "dashboard", browser.name(), state + ".png"));
    }

    private static void waitUntil(Callable<Boolean> condition) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(condition);
    }

    /** Places orders (each one a call through the circuit) until the page shows what is awaited. */
    private void clickUntil(String button, Callable<Boolean> condition) {
        Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(800)).until(() -> {
            if (condition.call()) {
                return true;
            }
            browser.click(button);
            return false;
        });
    }

    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
