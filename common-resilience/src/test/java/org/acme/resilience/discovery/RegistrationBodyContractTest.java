package org.acme.resilience.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.acme.resilience.testing.ConsulDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Vertx;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.consul.ConsulClientOptions;

/**
 * What we send to register and deregister uses only the fields Consul's API documentation names (vendored in
 * {@code consul-api/agent-service-register-fields.txt}, with its source): a misspelt field is ignored by a real
 * agent, silently, so a check we think we registered would not exist.
 */
class RegistrationBodyContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Vertx vertx = Vertx.vertx();
    private final ConsulDouble consul = new ConsulDouble().start();

    @AfterEach
    void stop() {
        consul.close();
        vertx.close();
    }

    @Test
    void registrationAndDeregistrationSendOnlyDocumentedFields() throws Exception {
        DiscoveryConfig config = DiscoverySettings.consul(consul);
        var registration = new ConsulRegistration(config, "payment-service", vertx)
                .describeThisInstance("127.0.0.1", 8083);
        ConsulClient client = ConsulClient.create(vertx, new ConsulClientOptions().setHost("127.0.0.1")
                .setPort(consul.port()).setAclToken(consul.aclToken()));
        client.registerService(registration).toCompletionStage().toCompletableFuture().get();
        client.deregisterService(registration.getId()).toCompletionStage().toCompletableFuture().get();

        Map<String, Set<String>> documented = documentedFields();
        JsonNode body = JSON.readTree(sent("/v1/agent/service/register"));
        assertThat(fieldNames(body)).isSubsetOf(documented.get("service")).contains("Name", "ID", "Address", "Port");
        JsonNode check = body.has("Check") ? body.get("Check") : body.get("Checks").get(0);
        assertThat(fieldNames(check)).isSubsetOf(documented.get("check"))
                .contains("HTTP", "Interval", "DeregisterCriticalServiceAfter");
        assertThat(sent("/v1/agent/service/deregister/" + registration.getId())).isEmpty();
        assertThat(consul.instances()).isEmpty();
    }

    private String sent(String path) {
        return consul.requests().stream().filter(r -> r.path().equals(path)).findFirst().orElseThrow().body();
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Map<String, Set<String>> documentedFields() throws IOException {
        Map<String, Set<String>> sections = new HashMap<>();
        try (InputStream in = RegistrationBodyContractTest.class
                .getResourceAsStream("/consul-api/agent-service-register-fields.txt")) {
            String section = null;
            Map<String, List<String>> lists = new HashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                if (l.startsWith("[")) {
                    section = l.substring(1, l.length() - 1);
                } else {
                    lists.computeIfAbsent(section, k -> new ArrayList<>()).add(l);
                }
            }
            lists.forEach((k, v) -> sections.put(k, Set.copyOf(v)));
        }
        return sections;
    }
}
