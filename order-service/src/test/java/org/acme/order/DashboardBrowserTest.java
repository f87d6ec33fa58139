package org.acme.order;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.acme.order.Stubs.mock;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import jakarta.inject.Inject;

import org.acme.resilience.guard.DownstreamGuards;
import org.acme.resilience.testing.LocalBackends;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromedriver): place an order and see it and its
 * events appear; make payment-service fail and see its circuit turn OPEN; bring it back and see it close. A
 * screenshot of each state is saved under target/dashboard/.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "orders_test"))
@QuarkusTestResource(value = DownstreamsMock.class, restrictToAnnotatedClass = true)
class DashboardBrowserTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    DownstreamGuards circuits;

    WebDriver browser;

    @BeforeEach
    void openBrowser() {
        mock().resetAll();
        circuits.resetAll();
        Stubs.userServiceKnowsTheDemoUsers();
        Stubs.paymentAnswers("COMPLETED");
        mock().stubFor(get(urlEqualTo("/resilience/circuits")).willReturn(okJson("[]")));

        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("chromium.binary", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1400,1100");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("chromedriver", "/usr/bin/chromedriver")))
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void showsOrdersEventsAndACircuitOpeningAndClosing() throws IOException {
        browser.get("http://localhost:" + port + "/dashboard/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(b -> "CLOSED".equals(paymentCircuitState(b)));
        wait.until(b -> b.findElement(By.id("stream-status")).getText().equals("live"));

        browser.findElement(By.id("place-valid")).click();
        wait.until(b -> b.findElement(By.id("place-result")).getText().contains("CONFIRMED"));
        String orderId = browser.findElement(By.id("place-result")).getText().split(" ")[0];
        wait.until(b -> !b.findElements(By.cssSelector("#orders tr[data-order^='" + orderId + "'] td.CONFIRMED"))
                .isEmpty());
        wait.until(b -> !b.findElements(By.cssSelector("#events li[data-routing-key='order.confirmed']"
                + "[data-subject^='" + orderId + "']")).isEmpty());
        assertThat(browser.findElements(By.cssSelector("#events li[data-routing-key='order.created']"
                + "[data-subject^='" + orderId + "']"))).isNotEmpty();
        screenshot("1-order-confirmed");

        Stubs.paymentFailsWith(500);
        new WebDriverWait(browser, Duration.ofSeconds(40)).until(b -> {
            if ("OPEN".equals(paymentCircuitState(b))) {
                return true;
            }
            b.findElement(By.id("place-valid")).click();
            sleep(700);
            return false;
        });
        wait.until(b -> !b.findElements(By.cssSelector("#events li[data-routing-key='resilience.circuit.opened']"))
                .isEmpty());
        screenshot("2-payment-circuit-open");

        Stubs.paymentAnswers("COMPLETED");
        new WebDriverWait(browser, Duration.ofSeconds(40)).until(b -> {
            if ("CLOSED".equals(paymentCircuitState(b))) {
                return true;
            }
            b.findElement(By.id("place-valid")).click();
            sleep(1000);
            return false;
        });
        screenshot("3-payment-circuit-closed");
    }

    /**
     * The state the page shows for payment-service's circuit, read in one step: the page redraws its cards every
     * second, so a card found in one call may be gone by the next.
     */
    private static String paymentCircuitState(WebDriver browser) {
        return (String) ((JavascriptExecutor) browser).executeScript("const card = document.querySelector("
                + "\".card[data-service='order-service'][data-downstream='payment-service']\");"
                + " return card ? card.dataset.state : null;");
    }

    private void screenshot(String name) throws IOException {
        Path target = Path.of("target", "dashboard", name + ".png");
        Files.createDirectories(target.getParent());
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
