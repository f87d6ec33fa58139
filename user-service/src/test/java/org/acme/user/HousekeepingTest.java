package org.acme.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.acme.resilience.outbox.Housekeeping;
import org.acme.resilience.testing.LocalBackends;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Housekeeping on the real PostgreSQL: published outbox rows and handled event ids older than their retention are
 * deleted, in as many batches as it takes; newer ones, and unpublished rows however old, stay.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "users_test"))
class HousekeepingTest {

    private static final OffsetDateTime NOW = OffsetDateTime.now(ZoneOffset.UTC);

    @Inject
    Housekeeping housekeeping;

    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = LocalBackends.connect("users_test"); Statement s = c.createStatement()) {
            s.executeUpdate("delete from outbox");
            s.executeUpdate("delete from processed_event");
        }
    }

    @Test
    void deletesWhatIsOlderThanItsRetentionAndNothingElse() throws SQLException {
        List<UUID> oldPublished = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            oldPublished.add(outboxRow(NOW.minusDays(3), NOW.minusDays(2)));
        }
        UUID recentlyPublished = outboxRow(NOW.minusHours(2), NOW.minusHours(1));
        UUID neverPublished = outboxRow(NOW.minusDays(30), null);
        UUID oldEvent = processedEvent(NOW.minusDays(8));
        UUID recentEvent = processedEvent(NOW.minusDays(1));

        Housekeeping.Deleted deleted = housekeeping.run(Duration.ofHours(24), Duration.ofDays(7), 2);

        assertThat(deleted.outboxRows()).isEqualTo(5);
        assertThat(deleted.processedEvents()).isEqualTo(1);
        assertThat(ids("select id from outbox")).containsExactlyInAnyOrder(recentlyPublished, neverPublished);
        assertThat(ids("select event_id from processed_event")).containsExactly(recentEvent).doesNotContain(oldEvent);
    }

    @Test
    void aPassWithNothingToDeleteDeletesNothing() throws SQLException {
        UUID pending = outboxRow(NOW.minusDays(3), null);
        assertThat(housekeeping.run(Duration.ofHours(24), Duration.ofDays(7), 100))
                .isEqualTo(new Housekeeping.Deleted(0, 0));
        assertThat(ids("select id from outbox")).containsExactly(pending);
    }

    private static UUID outboxRow(OffsetDateTime created, OffsetDateTime published) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection c = LocalBackends.connect("users_test"); PreparedStatement s = c.prepareStatement(
                "insert into outbox (id, type, aggregate_id, payload, created_at, published_at, claimed_until)"
                        + " values (?, 'user.registered', '1', '{}'::jsonb, ?, ?, ?)")) {
            s.setObject(1, id);
            s.setObject(2, created);
            s.setObject(3, published);
            // an unpublished row stays claimed by some other relay, so this service's relay does not publish it
            s.setObject(4, published == null ? NOW.plusHours(1) : null);
            s.executeUpdate();
        }
        return id;
    }

    private static UUID processedEvent(OffsetDateTime processed) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection c = LocalBackends.connect("users_test"); PreparedStatement s = c.prepareStatement(
                "insert into processed_event (consumer, event_id, processed_at) values ('test', ?, ?)")) {
            s.setObject(1, id);
            s.setObject(2, processed);
            s.executeUpdate();
        }
        return id;
    }

    private static List<UUID> ids(String query) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (Connection c = LocalBackends.connect("users_test"); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery(query)) {
            while (rows.next()) {
                ids.add(rows.getObject(1, UUID.class));
            }
        }
        return ids;
    }
}
