package org.acme.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.acme.resilience.consume.RabbitConfig;
import org.acme.resilience.events.EventsConfig;
import org.acme.resilience.outbox.HousekeepingConfig;
import org.acme.resilience.outbox.OutboxConfig;
import org.acme.resilience.policy.ResilienceConfig;
import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The README's settings tables say what the library's {@code @ConfigMapping}s say: every row of a table whose header
 * has a {@code default} column names a mapped key and its {@code @WithDefault}, and a {@code test} column the value the
 * library's {@code %test} profile sets. A default changed in one place and not in the other fails here.
 */
class ReadmeSettingsTest {

    /** Rows of the resilience table name keys relative to this. */
    private static final String POLICY_PREFIX = "resilience.downstream.\"<name>\".";

    @Test
    void theReadmeTablesStateTheMappingsDefaultsAndTheTestProfile() throws IOException {
        SmallRyeConfig defaults = config(false);
        SmallRyeConfig test = config(true);
        List<String> checked = new ArrayList<>();
        List<String> header = null;
        for (String line : Files.readAllLines(Path.of("../README.md"))) {
            if (!line.startsWith("|")) {
                header = null;
            } else if (line.startsWith("| setting")) {
                header = cells(line);
            } else if (header != null && header.contains("default") && line.startsWith("| `")) {
                List<String> row = cells(line);
                String key = row.get(0).replaceAll("^`([^`]+)`.*$", "$1");
                String mapped = header.get(0).contains(POLICY_PREFIX) ? "resilience.defaults." + key : key;
                assertSame(mapped, row.get(header.indexOf("default")), defaults);
                if (header.contains("test")) {
                    assertSame(mapped, row.get(header.indexOf("test")), test);
                }
                checked.add(mapped);
            }
        }
        assertThat(checked).as("settings rows found in the README").hasSizeGreaterThan(20)
                .contains("resilience.defaults.timeout", "events.consumer.retry.max-attempts", "outbox.relay.batch-size",
                        "housekeeping.interval");
    }

    private static void assertSame(String key, String documented, SmallRyeConfig config) {
        String value = documented.split(" ")[0];
        if (value.equals("—")) {
            assertThat(config.getOptionalValue(key, String.class)).as(key).isEmpty();
            return;
        }
        String actual = config.getOptionalValue(key, String.class).orElse(null);
        assertThat(actual).as("%s: no default in the mappings, the README says %s", key, value).isNotNull();
        assertThat(normalised(actual)).as("%s: the README says %s, the mapping %s", key, value, actual)
                .isEqualTo(normalised(value));
    }

    /** 2 and 2.0, 5m and PT5M are the same setting. */
    private static Object normalised(String value) {
        if (value.matches("-?\\d+(\\.\\d+)?")) {
            return Double.valueOf(value);
        }
        return Objects.requireNonNullElse(duration(value), value);
    }

    private static Duration duration(String value) {
        try {
            return new DurationConverter().convert(value);
        } catch (IllegalArgumentException notADuration) {
            return null;
        }
    }

    private static List<String> cells(String line) {
        return Arrays.stream(line.substring(1, line.lastIndexOf('|')).split("\\|")).map(String::strip).toList();
    }

    private static SmallRyeConfig config(boolean testProfile) throws IOException {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .withMapping(ResilienceConfig.class).withMapping(EventsConfig.class).withMapping(OutboxConfig.class)
                .withMapping(HousekeepingConfig.class).withMapping(RabbitConfig.class).withConverter(Duration.class, 100, new DurationConverter()).withValidateUnknown(false);
        if (testProfile) {
            builder.withProfile("test").withSources(new PropertiesConfigSource(
                    ReadmeSettingsTest.class.getResource("/META-INF/microprofile-config.properties"), 100));
        }
        return builder.build();
    }
}
