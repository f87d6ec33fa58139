package org.acme.order;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A server-sent event stream read by a test with every wait bounded: the response must start within
 * {@link #CONNECT}, each line is awaited with a timeout (a daemon thread reads, the test polls), and {@link #close()}
 * cancels the body, which closes the connection, so a stream that never ends never holds a test up.
 */
final class SseStream implements AutoCloseable {

    static final Duration CONNECT = Duration.ofSeconds(10);
    private static final String END = "\u0000end";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private SseStream(HttpResponse<Stream<String>> response) {
        this.response = response;
        Thread reader = new Thread(() -> {
            try {
                Iterator<String> it = response.body().iterator();
                while (it.hasNext()) {
                    lines.add(it.next());
                }
            } catch (RuntimeException closed) {
                // closed by the test or by the server
            } finally {
                lines.add(END);
            }
        }, "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code path} on the service under test with these request headers (e.g. {@code Cookie}). */
    static SseStream open(int port, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Accept", "text/event-stream").timeout(CONNECT);
        headers.forEach(request::header);
        return new SseStream(HttpClient.newBuilder().connectTimeout(CONNECT).build()
                .sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
                .get(CONNECT.toMillis(), TimeUnit.MILLISECONDS));
    }

    static SseStream withCookie(int port, String cookie) throws Exception {
        return open(port, "/dashboard/stream", cookie == null ? Map.of() : Map.of("Cookie", cookie));
    }

    int status() {
        return response.statusCode();
    }

    Optional<String> header(String name) {
        return response.headers().firstValue(name);
    }

    /** The next line, waiting at most {@code atMost}; fails the test when none comes or the stream ended. */
    String nextLine(Duration atMost) throws InterruptedException {
        String line = lines.poll(atMost.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("no line on the stream within " + atMost);
        }
        if (line == END) {
            lines.add(END);
            throw new AssertionError("the stream ended");
        }
        return line;
    }

    /** Every line read until the whole body ended or {@code atMost} passed: for answers that are not streams. */
    String body(Duration atMost) throws InterruptedException {
        StringBuilder body = new StringBuilder();
        long deadline = System.nanoTime() + atMost.toNanos();
        for (String line; (line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null
                && line != END;) {
            body.append(line).append('\n');
        }
        return body.toString();
    }

    /**
     * The first event whose JSON data matches, within {@code atMost} in all; its raw {@code data:} line is kept in
     * {@link Event#raw} so a test can check what the wire carried, not only what parsed.
     */
    Event awaitEvent(Predicate<JsonNode> match, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching event on the stream within " + atMost);
            }
            String line = nextLine(Duration.ofNanos(left));
            if (line.startsWith("data:")) {
                String raw = line.substring("data:".length());
                JsonNode event;
                try {
                    event = JSON.readTree(raw);
                } catch (JsonProcessingException e) {
                    throw new AssertionError("an event that is not JSON: " + raw, e);
                }
                if (match.test(event)) {
                    return new Event(raw, event);
                }
            }
        }
    }

    record Event(String raw, JsonNode json) {
    }

    @Override
    public void close() {
        response.body().close();
    }
}
