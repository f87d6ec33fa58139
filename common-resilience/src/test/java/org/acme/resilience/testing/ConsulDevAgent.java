package org.acme.resilience.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * A real Consul dev agent in a child process, for machines that have a {@code consul} binary on the PATH, with ACLs on
 * (default deny, one management token) like the {@link ConsulDouble}. A dev agent keeps nothing on disk, so stopping
 * and starting it again also forgets every registration.
 */
public final class ConsulDevAgent implements ConsulAgent {

    private final int httpPort = freePort();
    private final String managementToken = UUID.randomUUID().toString();
    private Process process;

    static boolean available() {
        String path = System.getenv("PATH");
        return path != null && List.of(path.split(File.pathSeparator)).stream()
                .anyMatch(dir -> new File(dir, "consul").canExecute());
    }

    @Override
    public int port() {
        return httpPort;
    }

    @Override
    public String aclToken() {
        return managementToken;
    }

    @Override
    public synchronized ConsulAgent start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        try {
            process = new ProcessBuilder("consul", "agent", "-dev", "-bind", "127.0.0.1", "-client", "127.0.0.1",
                    "-http-port", String.valueOf(httpPort), "-dns-port", "-1", "-grpc-port", "-1",
                    "-serf-lan-port", String.valueOf(freePort()), "-serf-wan-port", String.valueOf(freePort()),
                    "-server-port", String.valueOf(freePort()),
                    "-hcl", "acl { enabled = true default_policy = \"deny\" tokens { initial_management = \""
                            + managementToken + "\" agent = \"" + managementToken + "\" } }")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start consul", e);
        }
        Awaitility.await("consul agent opens port " + httpPort).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                    try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), httpPort)) {
                        return true;
                    }
                });
        return this;
    }

    @Override
    public synchronized void stop() {
        if (process != null) {
            signal("CONT");
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public void freeze() {
        signal("STOP");
    }

    @Override
    public void thaw() {
        signal("CONT");
    }

    private synchronized void signal(String signal) {
        if (process == null) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal consul", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void forget() {
        stop();
        start();
    }

    @Override
    public void close() {
        stop();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
