package org.acme.resilience.discovery;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/**
 * Asks Consul at startup whether it accepts our ACL token ({@code GET /v1/acl/token/self}), because with ACLs on and
 * default deny a refused token is otherwise silent: reads come back {@code 200 []}, as if nothing were registered.
 */
final class ConsulTokenCheck {

    static final String SETTING = "discovery.consul.acl-token (DISCOVERY_CONSUL_ACL_TOKEN)";
    private static final Logger LOG = Logger.getLogger(ConsulTokenCheck.class);

    private ConsulTokenCheck() {
    }

    /**
     * Fails when Consul refuses the token (or, with ACLs on, its absence). Consul not answering is no reason to fail:
     * the service serves without it and registers later (a refusal then is logged as an error).
     */
    static void verify(Vertx vertx, DiscoveryConfig config, Duration timeout) {
        DiscoveryConfig.Consul c = config.consul();
        WebClient client = WebClient.create(vertx);
        try {
            var request = client.get(c.port(), c.host(), "/v1/acl/token/self").timeout(timeout.toMillis());
            c.aclToken().ifPresent(token -> request.putHeader("X-Consul-Token", token));
            HttpResponse<Buffer> response;
            try {
                response = request.send().toCompletionStage().toCompletableFuture()
                        .get(timeout.toMillis() + 100, TimeUnit.MILLISECONDS);
            } catch (Exception unreachable) {
                LOG.warnf("Could not ask Consul at %s:%d whether it accepts %s (%s); checking on registration",
                        c.host(), c.port(), SETTING, unreachable.toString());
                return;
            }
            switch (response.statusCode()) {
                case 200 -> LOG.infof("Consul at %s:%d accepts the ACL token (%s)", c.host(), c.port(),
                        response.bodyAsJsonObject().getString("Description", ""));
                case 401 -> LOG.debugf("Consul at %s:%d has ACLs off", c.host(), c.port());
                case 403 -> throw new IllegalStateException(refusal(config, response.bodyAsString()));
                default -> LOG.warnf("Consul at %s:%d answered %d to /v1/acl/token/self: %s", c.host(), c.port(),
                        response.statusCode(), response.bodyAsString());
            }
        } finally {
            client.close();
        }
    }

    static String refusal(DiscoveryConfig config, String consulSays) {
        DiscoveryConfig.Consul c = config.consul();
        return c.aclToken().isPresent()
                ? "Consul at " + c.host() + ":" + c.port() + " refuses the ACL token set in " + SETTING + " ("
                        + consulSays + "): registration and lookups would fail; set a token Consul knows"
                : "Consul at " + c.host() + ":" + c.port() + " has ACLs on and no token is set (" + consulSays
                        + "): set " + SETTING + ", or lookups would find nothing";
    }
}
