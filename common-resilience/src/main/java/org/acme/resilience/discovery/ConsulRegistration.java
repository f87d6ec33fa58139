package org.acme.resilience.discovery;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.ext.consul.CheckOptions;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.consul.ConsulClientOptions;
import io.vertx.ext.consul.ServiceOptions;

/**
 * Registers this service in Consul (name, address, port, tags, and an HTTP check on its readiness endpoint) and
 * deregisters it on a graceful shutdown, with the ACL token of {@code discovery.consul.acl-token}.
 *
 * <p>Startup fails, saying which setting to fix, when the advertised address is unusable or Consul refuses the token.
 *
 * <p>Unlike Stork's own registrar, it never holds up startup: while Consul is unreachable the service serves anyway
 * and registration is retried in the background with exponential backoff. Once registered, it checks periodically
 * that Consul still knows it and registers again if not (a Consul dev agent forgets everything when restarted).
 */
@ApplicationScoped
public class ConsulRegistration {

    private static final Logger LOG = Logger.getLogger(ConsulRegistration.class);
    /** Bounds every call to the agent, which is local and answers in milliseconds when it answers at all. */
    private static final Duration CONSUL_TIMEOUT = Duration.ofSeconds(5);

    private final DiscoveryConfig config;
    private final String serviceName;
    private final Vertx vertx;
    private final AtomicBoolean registered = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile boolean warnedUnreachable;
    private ConsulClient consul;
    private String address;
    private volatile ServiceOptions registration;
    private long retryDelayMillis;

    public ConsulRegistration(DiscoveryConfig config, @ConfigProperty(name = "quarkus.application.name") String name,
            Vertx vertx) {
        this.config = config;
        this.serviceName = name;
        this.vertx = vertx;
    }

    public boolean enabled() {
        return "consul".equals(config.type());
    }

    public boolean registered() {
        return registered.get();
    }

    /** What this service registers: its name, a per-instance id, where to reach it and how to check it. */
    public ServiceOptions registration() {
        return registration;
    }

    void onStart(@Observes StartupEvent start) {
        if (!enabled()) {
            return;
        }
        DiscoveryConfig.Consul c = config.consul();
        address = AdvertisedAddress.validated(config.advertisedAddress());
        ConsulTokenCheck.verify(vertx, config, CONSUL_TIMEOUT);
        ConsulClientOptions options = new ConsulClientOptions().setHost(c.host()).setPort(c.port())
                .setTimeout(CONSUL_TIMEOUT.toMillis());
        c.aclToken().ifPresent(options::setAclToken);
        consul = ConsulClient.create(vertx, options);
        retryDelayMillis = c.retryInitialDelay().toMillis();
        // The first attempt waits until the HTTP server has bound its (possibly random) port.
        vertx.setTimer(100, id -> register());
    }

    ServiceOptions describeThisInstance(String address, int port) {
        DiscoveryConfig.Consul c = config.consul();
        return new ServiceOptions()
                .setName(serviceName)
                .setId(serviceName + "-" + address + "-" + port)
                .setAddress(address)
                .setPort(port)
                .setTags(c.tags())
                .setCheckOptions(new CheckOptions()
                        .setName(serviceName + " readiness")
                        .setHttp("http://" + address + ":" + port + "/q/health/ready")
                        .setInterval(seconds(c.checkInterval()))
                        .setDeregisterAfter(seconds(c.deregisterAfter())));
    }

    void onStop(@Observes ShutdownEvent stop) {
        deregister();
    }

    /** Removes this instance from Consul and stops re-registering; what a graceful shutdown does. */
    public void deregister() {
        stopped.set(true);
        if (consul == null || !registered.getAndSet(false)) {
            return;
        }
        try {
            consul.deregisterService(registration.getId()).toCompletionStage().toCompletableFuture()
                    .get(3, TimeUnit.SECONDS);
            LOG.infof("Deregistered %s from Consul", registration.getId());
        } catch (Exception e) {
            LOG.warnf("Could not deregister %s from Consul (it removes it after %s): %s", registration.getId(),
                    config.consul().deregisterAfter(), e.getMessage());
        }
    }

    /** Starts registering again after {@link #deregister()}. */
    public void resume() {
        if (consul != null && stopped.getAndSet(false)) {
            register();
        }
    }

    private void register() {
        if (stopped.get()) {
            return;
        }
        if (registration == null) {
            int port = config.consul().servicePort().orElseGet(ConsulRegistration::listeningPort);
            if (port <= 0) {
                vertx.setTimer(100, id -> register()); // not bound yet
                return;
            }
            registration = describeThisInstance(address, port);
        }
        consul.registerService(registration).onComplete(result -> {
            if (result.succeeded()) {
                registered.set(true);
                warnedUnreachable = false;
                retryDelayMillis = config.consul().retryInitialDelay().toMillis();
                LOG.infof("Registered %s in Consul at %s:%d as %s:%d", registration.getId(), config.consul().host(),
                        config.consul().port(), registration.getAddress(), registration.getPort());
                vertx.setTimer(config.consul().verifyInterval().toMillis(), id -> verify());
            } else {
                registered.set(false);
                String why = String.valueOf(result.cause().getMessage());
                if (!warnedUnreachable && refusesToken(why)) {
                    warnedUnreachable = true;
                    LOG.errorf("%s; serving anyway and retrying in the background",
                            ConsulTokenCheck.refusal(config, why));
                } else if (!warnedUnreachable) {
                    warnedUnreachable = true;
                    LOG.warnf("Consul at %s:%d did not accept the registration of %s (%s); serving anyway and "
                            + "retrying in the background", config.consul().host(), config.consul().port(),
                            serviceName, why);
                }
                long delay = retryDelayMillis;
                retryDelayMillis = Math.min(retryDelayMillis * 2, config.consul().retryMaxDelay().toMillis());
                vertx.setTimer(delay, id -> register());
            }
        });
    }

    private void verify() {
        if (stopped.get()) {
            return;
        }
        consul.localServices().onComplete(result -> {
            boolean known = result.succeeded()
                    && result.result().stream().anyMatch(s -> registration.getId().equals(s.getId()));
            if (known) {
                vertx.setTimer(config.consul().verifyInterval().toMillis(), id -> verify());
            } else {
                LOG.infof("Consul no longer knows %s; registering again", registration.getId());
                registered.set(false);
                register();
            }
        });
    }

    /** Consul's own words for a token it does not know, and for one that may not do what was asked. */
    private static boolean refusesToken(String consulSays) {
        return consulSays.contains("ACL not found") || consulSays.contains("Permission denied");
    }

    /** The port the HTTP server listens on; tests run on a random one, published as quarkus.http.test-port. */
    private static int listeningPort() {
        String key = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        return ConfigProvider.getConfig().getOptionalValue(key, Integer.class).orElse(0);
    }

    private static String seconds(Duration duration) {
        return Math.max(1, duration.toSeconds()) + "s";
    }
}
