package org.acme.resilience.discovery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How this service is found by the others. With {@code discovery.type=consul} it registers itself in Consul and the
 * REST clients resolve downstreams there (Stork {@code consul}); with {@code static} (the default, for local runs
 * without Consul) nothing registers and the clients use {@code quarkus.stork.<service>.service-discovery.address-list}.
 */
@ConfigMapping(prefix = "discovery")
public interface DiscoveryConfig {

    /** {@code consul} or {@code static}. Also selects the Stork service-discovery type of every REST client. */
    @WithDefault("static")
    String type();

    /** How often a REST client asks Consul again for its downstream's healthy instances. */
    @WithDefault("5s")
    Duration refreshPeriod();

    /**
     * How long one lookup waits for Consul's answer. The local agent answers in milliseconds; past this the lookup
     * has failed (a technical failure for the caller's guard, or the last known instances, see below).
     */
    @WithDefault("1s")
    Duration lookupTimeout();

    /**
     * How long the instances of Consul's last answer stand in while Consul does not answer (down, hung, refusing
     * the token). Past this, calls fail as "discovery failed" rather than go to instances nobody vouches for.
     */
    @WithDefault("5m")
    Duration lastKnownFor();

    Consul consul();

    interface Consul {
        @WithDefault("localhost")
        String host();

        @WithDefault("8500")
        int port();

        /**
         * ACL token sent with every Consul request (registration, deregistration, the check that it is still known,
         * and the REST clients' lookups), when Consul's ACLs are on. It needs {@code service:write} on this service's
         * name and {@code service:read} on the names it calls (and {@code node:read}, to see passing checks).
         */
        Optional<String> aclToken();

        /**
         * The address the other services should call this one on. Inside docker compose that is the container's own
         * address, which is the default (this host's address); set it where that is not reachable. It must be an
         * address others can reach: empty, a wildcard ({@code 0.0.0.0}, {@code ::}) or a name that does not resolve
         * fails startup.
         */
        Optional<String> serviceAddress();

        /**
         * The port the other services should call this one on, where that is not the HTTP port it listens on (a
         * port-forward or a proxy in front of it, as the chaos harness puts one). Default: the HTTP port.
         */
        Optional<Integer> servicePort();

        /** Tags registered with the service. */
        @WithDefault("quarkus,resilience-reference")
        List<String> tags();

        /** How often Consul calls the readiness endpoint. */
        @WithDefault("10s")
        Duration checkInterval();

        /** How long a failing instance stays registered before Consul removes it. */
        @WithDefault("1m")
        Duration deregisterAfter();

        /** First delay before retrying a registration Consul did not accept; doubles up to {@link #retryMaxDelay}. */
        @WithDefault("1s")
        Duration retryInitialDelay();

        @WithDefault("30s")
        Duration retryMaxDelay();

        /** How often a registered service checks that Consul still knows it (a restarted dev agent forgets). */
        @WithDefault("30s")
        Duration verifyInterval();
    }

    default String advertisedAddress() {
        return consul().serviceAddress().orElseGet(() -> {
            try {
                return InetAddress.getLocalHost().getHostAddress();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        });
    }
}
