package org.acme.order.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The little a page test needs from a real browser, so one scenario runs in several: Chromium through Selenium and
 * chromedriver, Firefox through WebDriver BiDi (no geckodriver is packaged for Debian).
 */
public interface Browser extends AutoCloseable {

    /** Loads {@code url} and returns once the page has loaded. */
    void open(String url);

    /**
     * Runs the body of a JavaScript function in the page and returns what it returns as a string, or null. Reading a
     * value in one call matters on a page that redraws: an element found in one call may be gone by the next.
     */
    String script(String functionBody);

    /** Clicks the element with this id with the (virtual) mouse, as a person would. */
    void click(String elementId);

    /** Saves what the browser shows as a PNG file. */
    default void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, screenshotPng());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the browser shows, as PNG. */
    byte[] screenshotPng();

    /** The browser's name, for messages and file names. */
    String name();

    @Override
    void close();

    /**
     * The browser named {@code chromium} or {@code firefox}, started headless. A browser that is not installed fails
     * the test with the package to install, not with a driver's stack trace.
     */
    static Browser start(String name) {
        return switch (name) {
            case "chromium" -> new ChromiumBrowser();
            case "firefox" -> new FirefoxBrowser();
            default -> throw new IllegalArgumentException("no browser named " + name);
        };
    }

    /** Fails with the package to install when a browser or its driver is not where the test expects it. */
    static String requireExecutable(String path, String debianPackage) {
        if (!Files.isExecutable(Path.of(path))) {
            throw new IllegalStateException(path + " is missing: the browser suite (./mvnw verify -Pbrowser) needs it"
                    + " (Debian: apt-get install " + debianPackage + "; elsewhere set the system property naming it)");
        }
        return path;
    }
}
