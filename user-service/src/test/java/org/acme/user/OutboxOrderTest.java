package org.acme.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.acme.resilience.outbox.Outbox;
import org.acme.resilience.testing.LocalBackends;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The order events go out in, and their time, come from the database: a sequence numbers outbox rows in the order
 * they were appended (whatever the clocks of the instances that wrote them), and a row's time is its transaction's
 * time in PostgreSQL.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "users_test"))
class OutboxOrderTest {

    @Inject
    Outbox outbox;

    @Inject
    EntityManager em;

    @Test
    void rowsAreNumberedInTheOrderTheyWereAppendedAndStampedWithTheirTransactionsTime() {
        String aggregate = UUID.randomUUID().toString();
        OffsetDateTime transactionTime = QuarkusTransaction.requiringNew().call(() -> {
            for (int i = 0; i < 3; i++) {
                outbox.append("user.registered", aggregate, Map.of("n", i));
            }
            return (OffsetDateTime) em.createNativeQuery("select now()", OffsetDateTime.class).getSingleResult();
        });

        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> castRows(em.createNativeQuery("""
                select seq, payload->'data'->>'n', created_at from outbox where aggregate_id = ?1 order by seq""")
                .setParameter(1, aggregate).getResultList()));
        List<String> appendOrder = new ArrayList<>();
        for (Object[] row : rows) {
            appendOrder.add((String) row[1]);
            assertThat(instant(row[2])).isEqualTo(transactionTime.toInstant());
        }
        assertThat(appendOrder).containsExactly("0", "1", "2");
    }

    private static java.time.Instant instant(Object timestamp) {
        return timestamp instanceof OffsetDateTime odt ? odt.toInstant() : (java.time.Instant) timestamp;
    }

    @SuppressWarnings("unchecked")
    private static List<Object[]> castRows(List<?> rows) {
        return (List<Object[]>) rows;
    }
}
