package org.acme.resilience.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.acme.resilience.policy.DownstreamPolicy;
import org.acme.resilience.testing.Policies;
import org.junit.jupiter.api.Test;

class JitteredExponentialBackoffTest {

    private final DownstreamPolicy.Retry retry = Policies.policy("x")
            .backoff(Duration.ofMillis(100), 2.0, Duration.ofMillis(1000), 0.5).retries(10).build().retry();

    @Test
    void withoutJitterTheDelayDoublesUpToTheMaximum() {
        // sample 0.5 puts the jitter factor at exactly 1
        assertThat(JitteredExponentialBackoff.delayMillis(retry, 0, 0.5)).isEqualTo(100);
        assertThat(JitteredExponentialBackoff.delayMillis(retry, 1, 0.5)).isEqualTo(200);
        assertThat(JitteredExponentialBackoff.delayMillis(retry, 2, 0.5)).isEqualTo(400);
        assertThat(JitteredExponentialBackoff.delayMillis(retry, 3, 0.5)).isEqualTo(800);
        assertThat(JitteredExponentialBackoff.delayMillis(retry, 4, 0.5)).isEqualTo(1000);
        assertThat(JitteredExponentialBackoff.delayMillis(retry, 9, 0.5)).isEqualTo(1000);
    }

    @Test
    void jitterSpreadsEachDelayWithinItsBounds() {
        for (int n = 0; n < 6; n++) {
            long base = Math.min(100L << n, 1000);
            assertThat(JitteredExponentialBackoff.delayMillis(retry, n, 0.0)).isEqualTo(Math.round(base * 0.5));
            assertThat(JitteredExponentialBackoff.delayMillis(retry, n, 0.999999)).isLessThanOrEqualTo(
                    Math.round(base * 1.5));
            for (int i = 0; i < 1000; i++) {
                long delay = JitteredExponentialBackoff.delayMillis(retry, n, ThreadLocalRandom.current().nextDouble());
                assertThat(delay).isBetween(Math.round(base * 0.5), Math.round(base * 1.5));
            }
        }
    }

    @Test
    void theStrategyCountsItsRetries() {
        JitteredExponentialBackoff backoff = new JitteredExponentialBackoff(retry, () -> 0.5);
        assertThat(backoff.nextDelayInMillis(null)).isEqualTo(100);
        assertThat(backoff.nextDelayInMillis(null)).isEqualTo(200);
        assertThat(backoff.nextDelayInMillis(null)).isEqualTo(400);
    }
}
