package org.acme.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.acme.resilience.topology.BrokerTopology;
import org.acme.resilience.topology.ConsumerQueue;
import org.acme.resilience.topology.Topology;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A service starts with the production setting of {@code events.topology.queue-suffix}: empty, which MicroProfile
 * Config treats as no value at all (a required String then fails the start, as it did for every service run outside
 * the tests). The queue names are then the topology's own.
 */
@QuarkusTest
@TestProfile(UnsuffixedTopologyTest.ProductionSuffix.class)
class UnsuffixedTopologyTest {

    public static class ProductionSuffix implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("events.topology.queue-suffix", "");
        }
    }

    @Inject
    BrokerTopology broker;

    @Test
    void startsWithAnEmptySuffixAndUsesTheTopologysOwnQueueNames() {
        assertThat(broker.topology().consumerQueues()).extracting(ConsumerQueue::name)
                .containsExactlyElementsOf(Topology.domainEvents("").consumerQueues().stream()
                        .map(ConsumerQueue::name).toList())
                .contains(Topology.PAYMENT_ORDER_EVENTS.name());
    }
}
