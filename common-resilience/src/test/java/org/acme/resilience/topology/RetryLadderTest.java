package org.acme.resilience.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RetryLadderTest {

    private static final RetryLadder DEFAULTS = new RetryLadder(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5),
            300);

    @Test
    void theWaitDoublesUpToTheCapAndStaysThere() {
        assertThat(DEFAULTS.delayBefore(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(DEFAULTS.delayBefore(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(DEFAULTS.delayBefore(9)).isEqualTo(Duration.ofSeconds(256));
        assertThat(DEFAULTS.delayBefore(10)).isEqualTo(Duration.ofMinutes(5));
        assertThat(DEFAULTS.delayBefore(299)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void oneDelayQueuePerDistinctWaitNamedByItsDelay() {
        assertThat(DEFAULTS.rungs()).hasSize(10).last().isEqualTo(Duration.ofMinutes(5));
        assertThat(DEFAULTS.rungs().stream().map(d -> RetryLadder.rungQueue("q", d)).toList())
                .startsWith("q.retry.1s", "q.retry.2s", "q.retry.4s").endsWith("q.retry.256s", "q.retry.5m");
        assertThat(RetryLadder.rungQueue("q", Duration.ofMillis(200))).isEqualTo("q.retry.200ms");
        assertThat(RetryLadder.rungQueue("q", Duration.ofHours(1))).isEqualTo("q.retry.1h");
    }

    @Test
    void theDefaultsWaitAboutADayBeforeGivingUp() {
        assertThat(DEFAULTS.patience()).isBetween(Duration.ofHours(23), Duration.ofHours(25));
    }

    @Test
    void aLadderWithoutGrowthHasOneRung() {
        RetryLadder flat = new RetryLadder(Duration.ofSeconds(2), 1.0, Duration.ofSeconds(2), 5);
        assertThat(flat.rungs()).containsExactly(Duration.ofSeconds(2));
        assertThat(flat.delayBefore(4)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aSlowlyGrowingLadderIsCappedInQueues() {
        RetryLadder slow = new RetryLadder(Duration.ofMillis(100), 1.01, Duration.ofHours(1), 10_000);
        assertThat(slow.rungs()).hasSizeLessThanOrEqualTo(RetryLadder.MAX_RUNGS);
        assertThat(slow.delayBefore(5_000)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> new RetryLadder(Duration.ZERO, 2, Duration.ofSeconds(1), 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryLadder(Duration.ofSeconds(2), 2, Duration.ofSeconds(1), 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryLadder(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1), 3))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
