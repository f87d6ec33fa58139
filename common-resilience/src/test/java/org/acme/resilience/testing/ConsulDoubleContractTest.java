package org.acme.resilience.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;

/**
 * The double's {@code GET /v1/health/service/<name>} answer has the fields and JSON types of HashiCorp's own fixture
 * ({@code @hashicorp/consul-api-double} 6.1.5, rendered and vendored under {@code consul-api-double-6.1.5/}): every
 * field the fixture always has, with its type, and no field the fixture never has.
 */
class ConsulDoubleContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ConsulDouble consul = new ConsulDouble().start();

    @AfterEach
    void stop() {
        consul.close();
    }

    @Test
    void healthServiceAnswersHaveTheFieldsAndTypesOfHashiCorpsFixture() throws Exception {
        JsonNode fixture;
        try (InputStream in = getClass()
                .getResourceAsStream("/consul-api-double-6.1.5/v1-health-service-payment-service.json")) {
            fixture = JSON.readTree(in);
        }
        new ConsulHttp(consul).register("payment-service-1", "payment-service", "127.0.0.1", 8083,
                "http://127.0.0.1:1/");
        JsonNode answer = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + consul.port() + "/v1/health/service/payment-service"))
                .header("X-Consul-Token", consul.aclToken()).build(), HttpResponse.BodyHandlers.ofString()).body());

        assertThat(answer).hasSize(1);
        JsonNode entry = answer.get(0);
        assertSameShape("entry", objects(fixture, ""), entry);
        assertSameShape("Node", objects(fixture, "Node"), entry.get("Node"));
        assertSameShape("Service", objects(fixture, "Service"), entry.get("Service"));
        assertSameShape("Checks[]", checks(fixture), entry.get("Checks").get(0));
    }

    @Test
    void everyAnswerCarriesTheIndexOfABlockingQuery() throws IOException, InterruptedException {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + consul.port() + "/v1/health/service/payment-service?passing"))
                .header("X-Consul-Token", consul.aclToken()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.headers().firstValue("X-Consul-Index")).hasValueSatisfying(
                index -> assertThat(Long.parseLong(index)).isPositive());
    }

    /** Fields every fixture object has must be in ours with the same type; ours may only use the fixture's fields. */
    private static void assertSameShape(String what, List<JsonNode> fixtures, JsonNode ours) {
        Map<String, JsonNodeType> always = new TreeMap<>();
        Map<String, JsonNodeType> sometimes = new TreeMap<>();
        fixtures.get(0).fields().forEachRemaining(f -> always.put(f.getKey(), f.getValue().getNodeType()));
        for (JsonNode fixture : fixtures) {
            always.keySet().retainAll(iterable(fixture));
            fixture.fields().forEachRemaining(f -> sometimes.put(f.getKey(), f.getValue().getNodeType()));
        }
        Map<String, JsonNodeType> oursTyped = new TreeMap<>();
        ours.fields().forEachRemaining(f -> oursTyped.put(f.getKey(), f.getValue().getNodeType()));

        assertThat(oursTyped).as(what + ": fields the fixture always has, with their types").containsAllEntriesOf(always);
        assertThat(sometimes).as(what + ": the double uses no field the fixture does not know")
                .containsAllEntriesOf(oursTyped);
    }

    private static List<JsonNode> objects(JsonNode fixture, String field) {
        List<JsonNode> objects = new ArrayList<>();
        fixture.forEach(entry -> objects.add(field.isEmpty() ? entry : entry.get(field)));
        return objects;
    }

    private static List<JsonNode> checks(JsonNode fixture) {
        List<JsonNode> checks = new ArrayList<>();
        fixture.forEach(entry -> entry.get("Checks").forEach(checks::add));
        return checks;
    }

    private static List<String> iterable(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
