package org.acme.order;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A downstream that accepts every connection, reads the request and never answers, noting for each connection how
 * long it stayed open until the caller closed it: what a hung process looks like from the wire. Stands in for
 * user-service and payment-service, found through Stork's static discovery.
 */
public class HungDownstream implements QuarkusTestResourceLifecycleManager {

    /** How long each connection stayed open until the caller closed it. */
    static final List<Duration> closedAfter = new CopyOnWriteArrayList<>();

    private ServerSocket server;

    @Override
    public Map<String, String> start() {
        try {
            server = new ServerSocket(0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread acceptor = new Thread(this::accept, "hung-downstream");
        acceptor.setDaemon(true);
        acceptor.start();
        String address = "localhost:" + server.getLocalPort();
        return Map.of(
                "quarkus.stork.user-service.service-discovery.address-list", address,
                "quarkus.stork.payment-service.service-discovery.address-list", address,
                // far beyond the guard's timeout: a connection closed before this was closed by the guard's deadline
                "quarkus.rest-client.user-service.read-timeout", "30000");
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread reader = new Thread(() -> holdOpen(socket), "hung-downstream-connection");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void holdOpen(Socket socket) {
        long opened = System.nanoTime();
        try (socket; InputStream in = socket.getInputStream()) {
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // the request arrives and is never answered
            }
        } catch (IOException e) {
            // reset by the caller: closed as well
        }
        closedAfter.add(Duration.ofNanos(System.nanoTime() - opened));
    }

    @Override
    public void stop() {
        try {
            server.close();
        } catch (IOException e) {
            // going away anyway
        }
    }
}
