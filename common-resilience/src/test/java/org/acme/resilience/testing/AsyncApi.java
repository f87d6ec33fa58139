package org.acme.resilience.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * The AsyncAPI document of {@code domain_events} ({@code docs/asyncapi.yaml}), for tests: the document itself against
 * the AsyncAPI 3.0.0 schema (vendored from {@code @asyncapi/specs} 6.11.1, see {@code asyncapi/README.md}), and an
 * event as a producer writes it against the payload schema of the message its routing key carries.
 */
public final class AsyncApi {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String DOMAIN_EVENTS_BINDINGS = "#/components/channelBindings/domainEvents";
    /** Where the registry finds the document, so the payloads' {@code $ref}s resolve within it. */
    private static final String DOCUMENT_IRI = "urn:acme:asyncapi:domain_events";

    private final JsonNode document;
    private final SchemaRegistry registry;

    private AsyncApi(Path path) {
        try {
            this.document = YAML.readTree(path.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String json = document.toString();
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
                builder -> builder.schemas(Map.of(DOCUMENT_IRI, json)));
    }

    /** {@code docs/asyncapi.yaml} of this repository, found from the module a test runs in. */
    public static AsyncApi load() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs/asyncapi.yaml");
            if (Files.isRegularFile(candidate)) {
                return new AsyncApi(candidate);
            }
        }
        throw new IllegalStateException("no docs/asyncapi.yaml above " + Path.of("").toAbsolutePath());
    }

    /** What the AsyncAPI 3.0.0 schema finds wrong with the document: nothing, for a valid one. */
    public List<Error> documentErrors() {
        try (InputStream schema = AsyncApi.class.getResourceAsStream("/asyncapi/asyncapi-3.0.0.schema.json")) {
            if (schema == null) {
                throw new IllegalStateException("the vendored AsyncAPI 3.0.0 schema is not on the class path");
            }
            return registry.getSchema(schema, InputFormat.JSON).validate(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The routing keys of the events on {@code domain_events}: the addresses of the channels bound to it. */
    public Set<String> routingKeys() {
        Set<String> keys = new TreeSet<>();
        document.path("channels").forEach(channel -> {
            if (DOMAIN_EVENTS_BINDINGS.equals(channel.path("bindings").path("$ref").asText())) {
                keys.add(channel.path("address").asText());
            }
        });
        return keys;
    }

    /** What the payload schema of the message on {@code routingKey} finds wrong with {@code eventJson}. */
    public List<Error> eventErrors(String routingKey, String eventJson) {
        return payloadSchema(routingKey).validate(eventJson, InputFormat.JSON);
    }

    private Schema payloadSchema(String routingKey) {
        for (JsonNode channel : document.path("channels")) {
            if (routingKey.equals(channel.path("address").asText())
                    && DOMAIN_EVENTS_BINDINGS.equals(channel.path("bindings").path("$ref").asText())) {
                JsonNode message = resolve(channel.path("messages").elements().next());
                String payload = message.path("payload").path("$ref").asText();
                return registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + payload));
            }
        }
        throw new AssertionError("docs/asyncapi.yaml has no channel for the routing key " + routingKey);
    }

    private JsonNode resolve(JsonNode node) {
        String ref = node.path("$ref").asText();
        return ref.startsWith("#/") ? document.at(ref.substring(1)) : node;
    }
}
