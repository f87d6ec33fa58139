package org.acme.order.browser;

import java.io.File;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's headless Chromium ({@code chromium.binary}, /usr/bin/chromium) driven by its chromedriver via Selenium. */
final class ChromiumBrowser implements Browser {

    private final WebDriver driver;

    ChromiumBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(
                Browser.requireExecutable(System.getProperty("chromium.binary", "/usr/bin/chromium"), "chromium"));
        // No background networking: this machine's network is closed, and a test must not depend on Google's hosts.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1400,1100");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(Browser.requireExecutable(
                        System.getProperty("chromedriver", "/usr/bin/chromedriver"), "chromium-driver")))
                .build();
        driver = new ChromeDriver(service, options);
    }

    @Override
    public void open(String url) {
        driver.get(url);
    }

    @Override
    public String script(String functionBody) {
        Object result = ((JavascriptExecutor) driver).executeScript(functionBody);
        return result == null ? null : String.valueOf(result);
    }

    @Override
    public void click(String elementId) {
        driver.findElement(By.id(elementId)).click();
    }

    @Override
    public byte[] screenshotPng() {
        return ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    }

    @Override
    public String name() {
        return "chromium";
    }

    @Override
    public void close() {
        driver.quit();
    }
}
