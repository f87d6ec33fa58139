package org.acme.resilience.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Policies read through SmallRye Config as the services read them, from properties and the environment. */
class DownstreamPolicyTest {

    private static ResilienceConfig config(Map<String, String> properties, Map<String, String> environment) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(ResilienceConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // Quarkus's "200ms", "5m" syntax
                .withSources(new PropertiesConfigSource(properties, "test", 250))
                .withSources(new EnvConfigSource(environment, 300))
                .build();
        return config.getConfigMapping(ResilienceConfig.class);
    }

    private static DownstreamPolicy resolve(ResilienceConfig config, String name) {
        return DownstreamPolicy.resolve(name, config.defaults(), config.downstreams().get(name));
    }

    @Test
    void aDownstreamTakesTheDefaultsForWhatItDoesNotOverride() {
        ResilienceConfig config = config(Map.of(
                "resilience.defaults.timeout", "4s",
                "resilience.downstream.\"payment-service\".circuit-breaker.window", "8",
                "resilience.downstream.\"payment-service\".circuit-breaker.success-threshold", "1"), Map.of());

        DownstreamPolicy payment = resolve(config, "payment-service");

        assertThat(payment.name()).isEqualTo("payment-service");
        assertThat(payment.timeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(payment.circuitBreaker().window()).isEqualTo(8);
        assertThat(payment.circuitBreaker().successThreshold()).isEqualTo(1);
        assertThat(payment.circuitBreaker().failureRatio()).isEqualTo(0.5); // documented default
        assertThat(payment.retry().maxRetries()).isEqualTo(2);
        assertThat(payment.retry().jitter()).isEqualTo(0.5);
        assertThat(payment.fallback().cacheTtl()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void everySettingCanBeOverriddenByItsEnvironmentVariable() {
        Map<String, String> properties = Map.of(
                "resilience.downstream.\"payment-service\".timeout", "3s",
                "resilience.downstream.\"payment-service\".circuit-breaker.delay", "60s");
        Map<String, String> environment = Map.of(
                "RESILIENCE_DOWNSTREAM__PAYMENT_SERVICE__TIMEOUT", "7s",
                "RESILIENCE_DOWNSTREAM__PAYMENT_SERVICE__CIRCUIT_BREAKER_DELAY", "5s",
                "RESILIENCE_DEFAULTS_RETRY_MAX_RETRIES", "4");

        DownstreamPolicy payment = resolve(config(properties, environment), "payment-service");

        assertThat(payment.timeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(payment.circuitBreaker().delay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(payment.retry().maxRetries()).isEqualTo(4);
    }

    @Test
    void anOutOfRangeOverrideFailsNamingItsKey() {
        ResilienceConfig config = config(Map.of(
                "resilience.downstream.\"user-service\".circuit-breaker.failure-ratio", "1.5",
                "resilience.downstream.\"user-service\".retry.max-retries", "-1"), Map.of());

        assertThatThrownBy(() -> resolve(config, "user-service"))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining("resilience.downstream.\"user-service\".circuit-breaker.failure-ratio must be "
                        + "between 0.01 and 1.0, was 1.5")
                .hasMessageContaining("resilience.downstream.\"user-service\".retry.max-retries must be between 0 "
                        + "and 20, was -1");
    }

    @Test
    void anOutOfRangeDefaultFailsNamingTheDefaultsKey() {
        Map<String, String> properties = new HashMap<>();
        properties.put("resilience.defaults.timeout", "0s");
        properties.put("resilience.downstream.\"user-service\".retry.max-retries", "1");

        assertThatThrownBy(() -> resolve(config(properties, Map.of()), "user-service"))
                .hasMessageContaining("resilience.defaults.timeout must be a positive duration, was PT0S");
    }

    @Test
    void inconsistentSettingsAreRejected() {
        ResilienceConfig config = config(Map.of(
                "resilience.downstream.\"user-service\".retry.initial-delay", "5s",
                "resilience.downstream.\"user-service\".retry.max-delay", "1s",
                "resilience.downstream.\"user-service\".circuit-breaker.window", "2",
                "resilience.downstream.\"user-service\".circuit-breaker.success-threshold", "3"), Map.of());

        assertThatThrownBy(() -> resolve(config, "user-service"))
                .hasMessageContaining("retry.initial-delay (PT5S) must not exceed")
                .hasMessageContaining("circuit-breaker.success-threshold (3) must not exceed");
    }
}
