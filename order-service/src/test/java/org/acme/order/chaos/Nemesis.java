package org.acme.order.chaos;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.acme.resilience.testing.LocalBackends;
import org.awaitility.Awaitility;

/**
 * The faults the harness injects, each with its heal, and the schedule they run on: drawn from a seed (the same seed
 * gives the same schedule), every fault class at least once, some overlapping, each lasting from less than one
 * attempt's timeout to well past every retry horizon and saga deadline.
 */
final class Nemesis {

    /** One fault: what it does to whom, and how it is undone. */
    record Fault(String name, String target, Action inject, Action heal) {
    }

    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /** A fault placed in time (milliseconds after the faults begin). */
    record Planned(Fault fault, long atMillis, long forMillis) {
    }

    private final Cluster cluster;
    private final Map<String, Fault> catalogue = new LinkedHashMap<>();

    Nemesis(Cluster cluster) {
        this.cluster = cluster;
        var proxy = cluster.toxiproxy;
        // links: Toxiproxy toxics on the proxies in front of instances and between instances and their backends
        toxic("latency order->payment 300±200ms", "payment links", "latency", Map.of("latency", 300L, "jitter", 200L),
                "payment-1-http", "payment-2-http");
        toxic("blackhole payment (every instance)", "payment links", "timeout", Map.of("timeout", 0L),
                "payment-1-http", "payment-2-http");
        toxic("blackhole payment-2 (one of two)", "payment-2", "timeout", Map.of("timeout", 0L), "payment-2-http");
        toxic("reset order->user-1", "user-1", "reset_peer", Map.of("timeout", 0L), "user-1-http");
        toxic("slow close order->user 2s", "user links", "slow_close", Map.of("delay", 2000L),
                "user-1-http", "user-2-http");
        toxic("bandwidth payment-1->postgres 2KB/s", "payment-1 db", "bandwidth", Map.of("rate", 2L),
                "payment-1-postgres");
        toxic("latency user-2->postgres 800ms", "user-2 db", "latency", Map.of("latency", 800L, "jitter", 0L),
                "user-2-postgres");
        down("down order->postgres", "order-1", "order-1-postgres");
        down("down payment-1->rabbitmq", "payment-1 broker link", "payment-1-rabbitmq");
        down("down order->rabbitmq", "order-1 broker link", "order-1-rabbitmq");
        // processes
        ServiceProcess payment1 = cluster.instances.get("payment-1");
        ServiceProcess user2 = cluster.instances.get("user-2");
        ServiceProcess order = cluster.orders();
        add(new Fault("kill -9 payment-1", "payment-1", payment1::kill, payment1::start));
        add(new Fault("pause user-2 (SIGSTOP)", "user-2", user2::pause, user2::resume));
        add(new Fault("kill -9 order-service", "order-1", order::kill, order::start));
        add(new Fault("graceful restart order-service", "order-1", order::stop, order::start));
        add(new Fault("restart RabbitMQ", "rabbitmq", () -> rabbitmqctl("stop_app"), () -> rabbitmqctl("start_app")));
        add(new Fault("restart Consul", "consul", cluster.consul::stop, () -> {
            cluster.consul.forget(); // a restarted dev agent has forgotten every registration
            cluster.consul.start();
        }));
        // packets: the kernel drops them under TCP, where the sockets of the caller and the instance see it
        if (PacketFilter.available()) {
            cut("packet partition of payment-2 (every link, both ways)", "payment-2",
                    PacketFilter.Direction.TO_PORT, PacketFilter.Direction.FROM_PORT,
                    "payment-2-http", "payment-2-postgres", "payment-2-rabbitmq");
            cut("asymmetric cut: payment-1's answers lost", "payment-1", PacketFilter.Direction.FROM_PORT, null,
                    "payment-1-http");
        } else {
            System.out.println("nemesis: tc cannot shape loopback here (needs root, HTB, u32): no packet faults");
        }
        proxy.reset();
    }

    List<String> names() {
        return List.copyOf(catalogue.keySet());
    }

    /**
     * The schedule: in {@code total} milliseconds, every fault at least once in an order drawn from the seed, then
     * more drawn at random until the time is used; a third of them start while the previous one is still active.
     */
    List<Planned> schedule(long seed, long totalMillis) {
        Random random = new Random(seed);
        List<Fault> order = new ArrayList<>(catalogue.values());
        java.util.Collections.shuffle(order, random);
        List<Planned> plan = new ArrayList<>();
        long at = 0;
        Planned previous = null;
        for (int i = 0; at < totalMillis || i < order.size(); i++) {
            Fault fault = i < order.size() ? order.get(i) : order.get(random.nextInt(order.size()));
            long duration = switch (random.nextInt(3)) {
                case 0 -> 500 + random.nextInt(1500); // shorter than one attempt's timeout
                case 1 -> 4000 + random.nextInt(6000); // past the breaker's delay and the retries
                default -> 16000 + random.nextInt(10000); // past the saga's stale-after
            };
            boolean overlap = previous != null && random.nextInt(3) == 0
                    && !previous.fault().target().equals(fault.target());
            long start = overlap ? previous.atMillis() + previous.forMillis() / 2 : at;
            Planned planned = new Planned(fault, start, duration);
            plan.add(planned);
            at = Math.max(at, start + duration) + 3000 + random.nextInt(4000); // a quiet gap to heal in
            previous = planned;
            if (i > 500) {
                break; // bounded, whatever the duration asked for
            }
        }
        return plan;
    }

    /** One named fault, alone, for long enough to outlast every horizon. */
    List<Planned> scenario(String name) {
        Fault fault = catalogue.get(name);
        if (fault == null) {
            throw new IllegalArgumentException("no fault named '" + name + "'; the faults are " + names());
        }
        return List.of(new Planned(fault, 0, 20000));
    }

    /** Runs a plan against the cluster, recording each fault's window; returns when every fault is healed. */
    void run(List<Planned> plan, History history) throws InterruptedException {
        ScheduledExecutorService threads = Executors.newScheduledThreadPool(4);
        long base = history.now();
        List<CompletableFuture<Void>> healed = new ArrayList<>();
        // Faults on one target never overlap: a heal can take longer than planned (a restart under load), and a
        // second fault on a target still healing (kill -9 during a restart's start) would fault the harness instead.
        Map<String, CompletableFuture<Void>> lastOnTarget = new java.util.HashMap<>();
        for (Planned planned : plan) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            healed.add(done);
            Fault fault = planned.fault();
            CompletableFuture<Void> before = lastOnTarget.getOrDefault(fault.target(),
                    CompletableFuture.completedFuture(null));
            lastOnTarget.put(fault.target(), done);
            threads.schedule(() -> before.thenRunAsync(() -> {
                long injected = history.now();
                System.out.printf("nemesis %6d ms: %s for %d ms%n", injected, fault.name(), planned.forMillis());
                try {
                    fault.inject().run();
                } catch (Exception e) {
                    System.out.printf("nemesis: injecting %s failed: %s%n", fault.name(), e);
                }
                threads.schedule(() -> {
                    long at = -1;
                    try {
                        fault.heal().run();
                        at = history.now();
                    } catch (Exception e) {
                        System.out.printf("nemesis: healing %s failed: %s%n", fault.name(), e);
                    }
                    history.add(new History.FaultWindow(fault.name(), fault.target(), injected, at));
                    done.complete(null);
                }, planned.forMillis(), TimeUnit.MILLISECONDS);
            }, threads), Math.max(0, planned.atMillis() - (history.now() - base)), TimeUnit.MILLISECONDS);
        }
        try {
            CompletableFuture.allOf(healed.toArray(CompletableFuture[]::new)).get(60, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("a fault did not end", e);
        } finally {
            threads.shutdown();
        }
    }

    private void toxic(String name, String target, String type, Map<String, Long> attributes, String... links) {
        String toxicName = type + "-" + catalogue.size();
        add(new Fault(name, target, () -> {
            for (String link : links) {
                cluster.toxiproxy.addToxic(link, toxicName, type, "downstream", attributes);
            }
        }, () -> {
            for (String link : links) {
                cluster.toxiproxy.removeToxic(link, toxicName);
            }
        }));
    }

    /** Drops the packets of the links' ports in one direction, or two. */
    private void cut(String name, String target, PacketFilter.Direction one, PacketFilter.Direction other,
            String... links) {
        List<PacketFilter.Cut> active = new java.util.concurrent.CopyOnWriteArrayList<>();
        add(new Fault(name, target, () -> {
            for (String link : links) {
                int port = cluster.linkPorts.get(link);
                active.add(cluster.packets.cut(port, one));
                if (other != null) {
                    active.add(cluster.packets.cut(port, other));
                }
            }
        }, () -> {
            for (PacketFilter.Cut cut : active) {
                cluster.packets.heal(cut);
            }
            active.clear();
        }));
    }

    private void down(String name, String target, String link) {
        add(new Fault(name, target, () -> cluster.toxiproxy.setEnabled(link, false),
                () -> cluster.toxiproxy.setEnabled(link, true)));
    }

    private void add(Fault fault) {
        catalogue.put(fault.name(), fault);
    }

    static void rabbitmqctl(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("rabbitmqctl", command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("rabbitmqctl " + command + " failed: " + output);
        }
        if (command.equals("start_app")) {
            Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> {
                try (java.net.Socket ignored = new java.net.Socket(LocalBackends.RABBIT_HOST,
                        LocalBackends.RABBIT_PORT)) {
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }
}
