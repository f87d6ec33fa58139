package org.acme.order.chaos;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** One service as a separate process running its packaged jar, that a test can kill -9 and start again. */
final class ServiceProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    /** Five JVMs starting on two shared cores take a while; a start that never gets ready still ends. */
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(120);

    final String name;
    final int port;
    private final Path jar;
    private final Map<String, String> environment;
    private final File log;
    private volatile Process process;
    /** Every process started and not yet seen dead. */
    private final List<Process> started = new java.util.ArrayList<>();

    ServiceProcess(String name, int port, Path jar, Map<String, String> environment, File log) {
        this.name = name;
        this.port = port;
        this.jar = jar;
        this.environment = environment;
        this.log = log;
    }

    /** Starts the process and waits until it is ready; returns how long that took. */
    Duration start() throws IOException, InterruptedException {
        long begin = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(List.of("java", "-Xmx128m", "-XX:+UseSerialGC", "-jar",
                jar.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        kill(); // a start never leaves two: whatever is left of an earlier one goes first
        process = builder.start();
        synchronized (this) {
            started.removeIf(p -> !p.isAlive());
            started.add(process);
        }
        Process started = process;
        try {
            Awaitility.await().atMost(STARTUP_LIMIT).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!started.isAlive()) {
                    throw new IllegalStateException(name + " exited; see " + log);
                }
                return ready();
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(name + " not ready after " + STARTUP_LIMIT.toSeconds() + " s; see " + log);
        }
        return Duration.ofNanos(System.nanoTime() - begin);
    }

    /** kill -9: no shutdown hook runs, nothing is deregistered or flushed. */
    synchronized void kill() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    /** A graceful stop (SIGTERM) of every process this one started, so none outlives the test. */
    synchronized void stop() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroy();
                p.waitFor();
            }
        }
    }

    /** SIGSTOP: the process freezes with its sockets open, as in a long GC pause. */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    private void signal(String signal) throws IOException, InterruptedException {
        if (alive() && new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + name + " failed");
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).timeout(Duration.ofSeconds(2))
                    .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
