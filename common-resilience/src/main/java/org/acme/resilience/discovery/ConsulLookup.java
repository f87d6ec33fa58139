package org.acme.resilience.discovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.stork.api.Metadata;
import io.smallrye.stork.api.ServiceDiscovery;
import io.smallrye.stork.api.ServiceInstance;
import io.smallrye.stork.impl.ConsulMetadataKey;
import io.smallrye.stork.impl.DefaultServiceInstance;
import io.smallrye.stork.utils.ServiceInstanceIds;
import io.smallrye.stork.utils.ServiceInstanceUtils;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * The passing instances of one service, from Consul's {@code /v1/health/service/<name>?passing} with our ACL token,
 * asked again every {@code discovery.refresh-period}.
 *
 * <p>A lookup never hangs: past {@code discovery.lookup-timeout} it has failed. A failed lookup (no answer, an error
 * status, or an answer Consul filtered by ACLs, which a real agent sends as a harmless-looking {@code 200 []}) leaves
 * the last answer's instances in use for {@code discovery.last-known-for}; after that, or with nothing known, the
 * lookup fails with a {@link DiscoveryFailedException}, a technical failure for the caller's guard. A failure is kept,
 * like an answer, for one refresh period, so callers fail fast instead of each waiting for Consul.
 */
public final class ConsulLookup implements ServiceDiscovery {

    private static final Logger LOG = Logger.getLogger(ConsulLookup.class);

    private record Answer(List<ServiceInstance> instances, long atNanos) {
    }

    private final String serviceName;
    private final DiscoveryConfig config;
    private final WebClient client;
    private final Uni<List<ServiceInstance>> instances;
    private final AtomicLong failures = new AtomicLong();
    private volatile Answer lastKnown;
    private volatile boolean failing;

    ConsulLookup(String serviceName, DiscoveryConfig config, Vertx vertx) {
        this.serviceName = serviceName;
        this.config = config;
        long timeout = config.lookupTimeout().toMillis();
        this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(config.consul().host())
                .setDefaultPort(config.consul().port()).setConnectTimeout((int) timeout));
        this.instances = Uni.createFrom().deferred(this::lookUp).memoize().atLeast(config.refreshPeriod());
    }

    @Override
    public Uni<List<ServiceInstance>> getServiceInstances() {
        return instances;
    }

    /** How many lookups have failed so far (Consul unreachable, too slow, or refusing the token). */
    public long failures() {
        return failures.get();
    }

    private Uni<List<ServiceInstance>> lookUp() {
        var request = client.get("/v1/health/service/" + serviceName).addQueryParam("passing", "true")
                .timeout(config.lookupTimeout().toMillis());
        config.consul().aclToken().ifPresent(token -> request.putHeader("X-Consul-Token", token));
        return Uni.createFrom().completionStage(() -> request.send().toCompletionStage())
                .ifNoItem().after(config.lookupTimeout())
                .failWith(() -> new DiscoveryFailedException(serviceName, "Consul did not answer within "
                        + config.lookupTimeout().toMillis() + " ms (discovery.lookup-timeout)"))
                .map(this::instancesIn)
                .invoke(found -> {
                    if (failing) {
                        failing = false;
                        LOG.infof("Consul answers lookups of %s again", serviceName);
                    }
                    lastKnown = new Answer(found, System.nanoTime());
                })
                .onFailure().recoverWithUni(this::lastKnownOrFail);
    }

    private List<ServiceInstance> instancesIn(HttpResponse<Buffer> response) {
        if (response.statusCode() == 403) {
            throw new DiscoveryFailedException(serviceName, "Consul refused the ACL token (403 " + response.bodyAsString()
                    + "): check discovery.consul.acl-token (DISCOVERY_CONSUL_ACL_TOKEN)");
        }
        if (response.statusCode() != 200) {
            throw new DiscoveryFailedException(serviceName, "Consul answered " + response.statusCode() + ": "
                    + response.bodyAsString());
        }
        if ("true".equals(response.getHeader("X-Consul-Results-Filtered-By-ACLs"))) {
            throw new DiscoveryFailedException(serviceName, "Consul left instances out of its answer because the ACL "
                    + "token (discovery.consul.acl-token) may not read them: it needs service:read on " + serviceName);
        }
        List<ServiceInstance> previous = lastKnown == null ? List.of() : lastKnown.instances();
        List<ServiceInstance> found = new ArrayList<>();
        for (Object item : response.bodyAsJsonArray()) {
            found.add(instance((JsonObject) item, previous));
        }
        return found;
    }

    /** An entry of Consul's answer as a Stork instance, keeping the instance's id when Consul still lists it. */
    private static ServiceInstance instance(JsonObject entry, List<ServiceInstance> previous) {
        JsonObject service = entry.getJsonObject("Service");
        JsonObject node = entry.getJsonObject("Node", new JsonObject());
        String address = service.getString("Address", "");
        if (address.isBlank()) {
            address = node.getString("Address"); // Consul's rule: no service address means the node's
        }
        int port = service.getInteger("Port");
        ServiceInstance same = ServiceInstanceUtils.findMatching(previous, address, port);
        if (same != null) {
            return same;
        }
        Map<String, String> labels = service.getJsonArray("Tags", new JsonArray()).stream().map(String::valueOf)
                .collect(Collectors.toMap(Function.identity(), Function.identity(), (a, b) -> a));
        Metadata<ConsulMetadataKey> metadata = Metadata.of(ConsulMetadataKey.class)
                .with(ConsulMetadataKey.META_CONSUL_SERVICE_ID, service.getString("ID"))
                .with(ConsulMetadataKey.META_CONSUL_SERVICE_NODE, node.getString("Node", ""))
                .with(ConsulMetadataKey.META_CONSUL_SERVICE_NODE_ADDRESS, node.getString("Address", ""));
        return new DefaultServiceInstance(ServiceInstanceIds.next(), address, port, false, labels, metadata);
    }

    private Uni<List<ServiceInstance>> lastKnownOrFail(Throwable failure) {
        failures.incrementAndGet();
        // logged once per outage, not once per refresh
        boolean firstOfAnOutage = !failing;
        failing = true;
        DiscoveryFailedException reason = failure instanceof DiscoveryFailedException d ? d
                : new DiscoveryFailedException(serviceName, "Consul at " + config.consul().host() + ":"
                        + config.consul().port() + " is unreachable: " + failure, failure);
        Answer known = lastKnown;
        Duration age = known == null ? null : Duration.ofNanos(System.nanoTime() - known.atNanos());
        if (known != null && age.compareTo(config.lastKnownFor()) <= 0) {
            if (firstOfAnOutage) {
                LOG.warnf("Looking up %s failed (%s); using the %d instances of Consul's last answer for up to %s",
                        serviceName, reason.getMessage(), known.instances().size(), config.lastKnownFor());
            }
            return Uni.createFrom().item(known.instances());
        }
        if (known != null) {
            lastKnown = null; // nobody vouches for it any more
            LOG.errorf("Looking up %s failed: %s; Consul's last answer is older than %s, so calls fail until it "
                    + "answers again", serviceName, reason.getMessage(), config.lastKnownFor());
        } else if (firstOfAnOutage) {
            LOG.errorf("Looking up %s failed: %s", serviceName, reason.getMessage());
        }
        return Uni.createFrom().failure(reason);
    }
}
