package org.acme.resilience.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.acme.resilience.testing.faults.FaultProxy;
import org.acme.resilience.testing.faults.Toxiproxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chaos harness's fault proxy does what Toxiproxy's API promises, for each toxic the harness uses. */
class FaultProxyTest {

    private FaultProxy server;
    private Toxiproxy api;
    private ServerSocket echo;
    private int proxyPort;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread echoing = new Thread(this::echo, "echo");
        echoing.setDaemon(true);
        echoing.start();
        server = FaultProxy.start(0);
        api = new Toxiproxy(server.url());
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            proxyPort = probe.getLocalPort();
        }
        api.createProxy("echo", "127.0.0.1:" + proxyPort, "127.0.0.1:" + echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        echo.close();
    }

    @Test
    void forwardsBothWays() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "hello")).isEqualTo("hello");
        }
    }

    @Test
    void latencyDelaysEveryChunk() throws IOException {
        api.addToxic("echo", "slow", "latency", "downstream", Map.of("latency", 300L, "jitter", 0L));
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            assertThat(roundTrip(socket, "late")).isEqualTo("late");
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
        }
    }

    @Test
    void latencyDelaysEachChunkFromItsArrivalWithoutHoldingUpTheChunksBehindIt() throws Exception {
        // As Toxiproxy's latency toxic: chunks sent 100 ms apart each arrive 500 ms after they were sent, in order.
        // A proxy that waited out one chunk's latency before reading the next would deliver the second 900 ms late.
        api.addToxic("echo", "slow", "latency", "downstream", Map.of("latency", 500L, "jitter", 0L));
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
        try (Socket socket = connect()) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            long start = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                byte[] chunk = ("c" + i).getBytes();
                sender.schedule(() -> {
                    out.write(chunk);
                    out.flush();
                    return null;
                }, i * 100L, TimeUnit.MILLISECONDS);
            }
            StringBuilder received = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                received.append(new String(socket.getInputStream().readNBytes(2)));
                long lateMs = (System.nanoTime() - start) / 1_000_000 - i * 100L;
                assertThat(lateMs).as("chunk %d arrived after", i).isBetween(500L, 750L);
            }
            assertThat(received).hasToString("c0c1c2c3c4");
        } finally {
            sender.shutdownNow();
        }
    }

    @Test
    void aTimeoutOfZeroIsABlackholeUntilRemoved() throws IOException {
        api.addToxic("echo", "hole", "timeout", "downstream", Map.of("timeout", 0L));
        try (Socket socket = connect()) {
            socket.setSoTimeout(500);
            socket.getOutputStream().write("lost".getBytes());
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        }
        api.removeToxic("echo", "hole");
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "back")).isEqualTo("back");
        }
    }

    @Test
    void aTimeoutClosesTheConnectionAfterIt() throws IOException {
        api.addToxic("echo", "hole", "timeout", "downstream", Map.of("timeout", 200L));
        try (Socket socket = connect()) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("dropped".getBytes());
            assertThat(socket.getInputStream().read()).as("end of stream, nothing delivered").isEqualTo(-1);
        }
    }

    @Test
    void resetPeerSendsARst() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "before")).isEqualTo("before");
            api.addToxic("echo", "rst", "reset_peer", "downstream", Map.of("timeout", 0L));
            socket.setSoTimeout(5000);
            assertThatThrownBy(() -> {
                socket.getOutputStream().write("x".getBytes());
                socket.getInputStream().read();
            }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
    }

    @Test
    void aDisabledProxyIsDownUntilEnabled() throws IOException {
        Socket open = connect();
        api.setEnabled("echo", false);
        open.setSoTimeout(5000);
        assertThat(open.getInputStream().read()).as("open connections are closed").isEqualTo(-1);
        open.close();
        assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);
        api.setEnabled("echo", true);
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "up")).isEqualTo("up");
        }
    }

    @Test
    void bandwidthLimitsTheRate() throws IOException {
        api.addToxic("echo", "narrow", "bandwidth", "downstream", Map.of("rate", 1L)); // 1 KB/s
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            String twoKilobytes = "x".repeat(2048);
            assertThat(roundTrip(socket, twoKilobytes)).isEqualTo(twoKilobytes);
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(1500);
        }
    }

    @Test
    void resetRemovesEveryToxicAndEnablesEveryProxy() throws IOException {
        api.addToxic("echo", "hole", "timeout", "downstream", Map.of("timeout", 0L));
        api.setEnabled("echo", false);
        api.reset();
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "clean")).isEqualTo("clean");
        }
    }

    @Test
    void answersLikeToxiproxyToWhatItCannotDo() throws Exception {
        assertThat(post("/proxies", "{\"name\":\"echo\",\"listen\":\"127.0.0.1:1\",\"upstream\":\"127.0.0.1:2\"}"))
                .isEqualTo(409);
        assertThat(post("/proxies", "{\"name\":\"incomplete\"}")).isEqualTo(400);
        assertThat(post("/proxies/echo/toxics", "{\"type\":\"no_such_toxic\"}")).isEqualTo(400);
        assertThat(post("/proxies/unknown/toxics", "{\"type\":\"latency\"}")).isEqualTo(404);
    }

    private int post(String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private Socket connect() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), proxyPort);
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(text.getBytes());
        byte[] answer = socket.getInputStream().readNBytes(text.length());
        return new String(answer);
    }

    private void echo() {
        while (!echo.isClosed()) {
            try {
                Socket client = echo.accept();
                Thread thread = new Thread(() -> {
                    try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException ignored) {
                        // the proxy closed it
                    }
                }, "echo-client");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                return;
            }
        }
    }
}
