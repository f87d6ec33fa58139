package org.acme.order.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class PageBufferTest {

    private final AtomicLong requested = new AtomicLong();
    private final List<Integer> page = new ArrayList<>();
    private final PageBuffer<Integer> buffer = new PageBuffer<>(3, requested::get, item -> {
        requested.decrementAndGet();
        page.add(item);
    });

    @Test
    void aPageThatDoesNotReadLosesTheOldestEventsAndTheLossIsCounted() {
        for (int i = 1; i <= 5; i++) {
            buffer.offer(i);
        }
        assertThat(page).isEmpty();
        assertThat(buffer.size()).isEqualTo(3);
        assertThat(buffer.dropped()).isEqualTo(2);

        requested.set(2);
        buffer.drain();
        assertThat(page).containsExactly(3, 4);
        requested.set(10);
        buffer.drain();
        buffer.offer(6);
        assertThat(page).containsExactly(3, 4, 5, 6);
        assertThat(buffer.size()).isZero();
    }
}
