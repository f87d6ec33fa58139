package org.acme.order.chaos;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Packet-level cuts on the loopback interface, by TCP port, with the kernel's traffic control ({@code tc}, as root):
 * packets to or from a port are classified into an HTB class that is given 8 bit/s and a one-packet queue, so the
 * kernel drops them. Unlike a proxy, this loses packets under TCP itself: the SYN, the data and the ACKs, one
 * direction or both, so an asymmetric cut (requests arrive, answers never do) is what the sockets really see.
 *
 * <p>{@code tc netem} (loss, delay) would be the usual tool; the kernels of these machines have no netem module (nor
 * tc actions), but have HTB and the u32 classifier, which is all a drop needs. {@link #available()} says whether this
 * machine can do it; the harness leaves the packet faults out where it cannot, and says so.
 */
final class PacketFilter implements AutoCloseable {

    /** Which packets of a port are dropped. */
    enum Direction {
        /** Packets sent to the port: nothing reaches the listener, not even a SYN. */
        TO_PORT("dport"),
        /** Packets sent from the port: the listener gets everything, its answers are lost. */
        FROM_PORT("sport");

        final String match;

        Direction(String match) {
            this.match = match;
        }
    }

    /** One cut: the packets of a port in one direction. */
    record Cut(int port, Direction direction) {
    }

    private static final String DEV = "lo";
    private boolean installed;
    private final List<Cut> cuts = new ArrayList<>();

    /** Whether {@code tc} can shape the loopback interface here (root, HTB and u32 in the kernel). */
    static boolean available() {
        try (PacketFilter probe = new PacketFilter()) {
            probe.install();
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Drops the packets of {@code port} in {@code direction} (the first one may still pass) until healed. */
    synchronized Cut cut(int port, Direction direction) throws IOException {
        install();
        Cut cut = new Cut(port, direction);
        filter(cut);
        cuts.add(cut);
        return cut;
    }

    /** Lifts one cut; the others stay (overlapping faults heal one by one). */
    synchronized void heal(Cut cut) throws IOException {
        if (!cuts.remove(cut)) {
            return;
        }
        tc("filter", "del", "dev", DEV, "parent", "1:", "prio", "1");
        for (Cut other : cuts) {
            filter(other);
        }
    }

    /** Removes every cut and the root qdisc: loopback is as it was. */
    @Override
    public synchronized void close() {
        cuts.clear();
        if (installed) {
            try {
                tc("qdisc", "del", "dev", DEV, "root");
            } catch (IOException e) {
                System.out.println("packet filter: could not remove the loopback qdisc: " + e.getMessage());
            }
            installed = false;
        }
    }

    private void filter(Cut cut) throws IOException {
        tc("filter", "add", "dev", DEV, "parent", "1:", "protocol", "ip", "prio", "1", "u32",
                "match", "ip", cut.direction().match, String.valueOf(cut.port()), "0xffff", "flowid", "1:2");
    }

    private void install() throws IOException {
        if (installed) {
            return;
        }
        try {
            tc("qdisc", "del", "dev", DEV, "root"); // what a run killed before its cleanup left behind
        } catch (IOException nothingThere) {
            // the usual case
        }
        // root HTB: unclassified traffic to 1:1 (as fast as loopback goes), cut ports to 1:2, which starves
        tc("qdisc", "add", "dev", DEV, "root", "handle", "1:", "htb", "default", "1", "r2q", "100000");
        installed = true;
        tc("class", "add", "dev", DEV, "parent", "1:", "classid", "1:1", "htb", "rate", "100gbit");
        tc("class", "add", "dev", DEV, "parent", "1:", "classid", "1:2", "htb", "rate", "8bit", "ceil", "8bit",
                "burst", "1", "cburst", "1");
        tc("qdisc", "add", "dev", DEV, "parent", "1:2", "handle", "20:", "pfifo", "limit", "1");
    }

    private static void tc(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("tc"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("tc did not answer: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command, e);
        }
        String output = new String(process.getInputStream().readAllBytes()).lines()
                .filter(line -> !line.startsWith("Warning")).reduce("", (a, b) -> a + b + " ");
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.trim());
        }
    }
}
