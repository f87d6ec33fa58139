package org.acme.order.browser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Debian's headless Firefox ESR ({@code firefox.binary}, /usr/bin/firefox-esr) driven over WebDriver BiDi, the W3C
 * protocol Firefox speaks itself on {@code --remote-debugging-port}: no geckodriver is packaged for Debian, and none
 * can be downloaded here. Only the few commands this interface needs are implemented: {@code session.new},
 * {@code browsingContext.getTree|setViewport|navigate|captureScreenshot}, {@code script.callFunction}, {@code input.performActions}.
 */
final class FirefoxBrowser implements Browser {

    private static final Pattern LISTENING = Pattern.compile("WebDriver BiDi listening on (ws://\\S+)");
    private static final long TIMEOUT_SECONDS = 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path profile;
    private final Process process;
    private final WebSocket socket;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final String context;

    FirefoxBrowser() {
        try {
            profile = Files.createTempDirectory("firefox-profile");
            // Nothing in the background that would reach for the internet this machine does not have.
            Files.writeString(profile.resolve("user.js"), """
                    user_pref("app.update.disabledForTesting", true);
                    user_pref("browser.shell.checkDefaultBrowser", false);
                    user_pref("datareporting.policy.dataSubmissionEnabled", false);
                    user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);
                    user_pref("network.captive-portal-service.enabled", false);
                    user_pref("browser.safebrowsing.update.enabled", false);
                    user_pref("services.settings.server", "http://127.0.0.1:9/");
                    """);
            process = new ProcessBuilder(Browser.requireExecutable(
                    System.getProperty("firefox.binary", "/usr/bin/firefox-esr"), "firefox-esr"), "--headless",
                    "--no-remote", "--profile", profile.toString(), "--remote-debugging-port=0", "about:blank")
                    .redirectErrorStream(true)
                    .start();
            socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create(awaitListening() + "/session"), new Listener())
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            send("session.new", Map.of("capabilities", Map.of()));
            context = send("browsingContext.getTree", Map.of("maxDepth", 0)).path("contexts").path(0)
                    .path("context").asText();
            send("browsingContext.setViewport", Map.of("context", context,
                    "viewport", Map.of("width", 1400, "height", 1100)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Firefox did not start its WebDriver BiDi endpoint", e);
        }
    }

    @Override
    public void open(String url) {
        send("browsingContext.navigate", Map.of("context", context, "url", url, "wait", "complete"));
    }

    @Override
    public String script(String functionBody) {
        JsonNode result = call("function () {" + functionBody + "}");
        return switch (result.path("type").asText()) {
            case "null", "undefined" -> null;
            default -> result.path("value").asText();
        };
    }

    @Override
    public void click(String elementId) {
        JsonNode element = call("function () { const el = document.getElementById(" + JSON.valueToTree(elementId)
                + "); el.scrollIntoView({ block: 'center' }); return el; }");
        Map<String, Object> origin = Map.of("type", "element", "element", Map.of("sharedId",
                element.path("sharedId").asText()));
        send("input.performActions", Map.of("context", context, "actions", List.of(Map.of(
                "type", "pointer", "id", "mouse", "parameters", Map.of("pointerType", "mouse"),
                "actions", List.of(
                        Map.of("type", "pointerMove", "x", 0, "y", 0, "origin", origin),
                        Map.of("type", "pointerDown", "button", 0),
                        Map.of("type", "pointerUp", "button", 0))))));
    }

    @Override
    public byte[] screenshotPng() {
        return Base64.getDecoder().decode(
                send("browsingContext.captureScreenshot", Map.of("context", context)).path("data").asText());
    }

    @Override
    public String name() {
        return "firefox";
    }

    @Override
    public void close() {
        try {
            send("session.end", Map.of());
        } catch (RuntimeException e) {
            // the browser is being stopped anyway
        }
        socket.abort();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Calls a function in the page; returns its BiDi remote value, or fails with the page's exception. */
    private JsonNode call(String function) {
        JsonNode result = send("script.callFunction", Map.of("functionDeclaration", function, "awaitPromise", false,
                "target", Map.of("context", context)));
        if ("exception".equals(result.path("type").asText())) {
            throw new IllegalStateException("script failed in Firefox: "
                    + result.path("exceptionDetails").path("text").asText());
        }
        return result.path("result");
    }

    private JsonNode send(String method, Map<String, Object> params) {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            socket.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true)
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            JsonNode response = answer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!"success".equals(response.path("type").asText())) {
                throw new IllegalStateException(method + " failed: " + response.path("error").asText() + ": "
                        + response.path("message").asText());
            }
            return response.path("result");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(method + " got no answer from Firefox", e);
        } finally {
            pending.remove(id);
        }
    }

    /** Reads Firefox's output until it names its BiDi endpoint, then keeps draining it so Firefox never blocks. */
    private String awaitListening() throws IOException {
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String line;
        while ((line = output.readLine()) != null) {
            Matcher matcher = LISTENING.matcher(line);
            if (matcher.find()) {
                Thread drain = new Thread(() -> output.lines().forEach(ignored -> {
                }), "firefox-output");
                drain.setDaemon(true);
                drain.start();
                return matcher.group(1);
            }
        }
        throw new IllegalStateException("Firefox exited without opening WebDriver BiDi");
    }

    /** Collects each message (which may arrive in parts) and hands command responses to their waiting sender. */
    private final class Listener implements WebSocket.Listener {

        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                try {
                    JsonNode json = JSON.readTree(message.toString());
                    if (json.has("id")) {
                        CompletableFuture<JsonNode> answer = pending.get(json.get("id").asLong());
                        if (answer != null) {
                            answer.complete(json);
                        }
                    }
                } catch (IOException e) {
                    pending.values().forEach(answer -> answer.completeExceptionally(e));
                } finally {
                    message.setLength(0);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
