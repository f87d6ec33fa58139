package org.acme.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.acme.resilience.outbox.Housekeeping;
import org.acme.resilience.testing.LocalBackends;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Housekeeping on the real PostgreSQL: published outbox rows and handled event ids older than their retention are
 * deleted, in as many batches as it takes; newer ones, and unpublished rows however old, stay.
 */
@QuarkusTest
@TestProfile(HousekeepingTest.SmallBatches.class)
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "users_test"))
class HousekeepingTest {

    /** Batches of two, so five old rows take three of them. */
    public static class SmallBatches implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("housekeeping.batch-size", "2");
        }
    }

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
            oldPublished.add(outboxRow("3 days", "2 days"));
        }
        UUID recentlyPublished = outboxRow("2 hours", "1 hour");
        UUID neverPublished = outboxRow("30 days", null);
        UUID oldEvent = processedEvent("8 days");
        UUID recentEvent = processedEvent("1 day");

        Housekeeping.Deleted deleted = housekeeping.run();

        assertThat(deleted.outboxRows()).isEqualTo(5);
        assertThat(deleted.processedEvents()).isEqualTo(1);
        assertThat(ids("select id from outbox")).containsExactlyInAnyOrder(recentlyPublished, neverPublished);
        assertThat(ids("select event_id from processed_event")).containsExactly(recentEvent).doesNotContain(oldEvent);
    }

    @Test
    void aPassWithNothingToDeleteDeletesNothing() throws SQLException {
        UUID pending = outboxRow("3 days", null);
        assertThat(housekeeping.run())
                .isEqualTo(new Housekeeping.Deleted(0, 0));
        assertThat(ids("select id from outbox")).containsExactly(pending);
    }

    /** A row created and published (null: not yet) that long ago by the database's clock, which housekeeping reads. */
    private static UUID outboxRow(String createdAgo, String publishedAgo) throws SQLException {
        UUID id = UUID.randomUUID();
        // an unpublished row stays claimed by some other relay, so this service's relay does not publish it
        try (Connection c = LocalBackends.connect("users_test"); PreparedStatement s = c.prepareStatement(
                "insert into outbox (id, type, aggregate_id, payload, created_at, published_at, claimed_until)"
                        + " values (?, 'user.registered', '1', '{}'::jsonb, now() - ?::interval,"
                        + " now() - ?::interval, case when ?::text is null then now() + interval '1 hour' end)")) {
            s.setObject(1, id);
            s.setString(2, createdAgo);
            s.setString(3, publishedAgo);
            s.setString(4, publishedAgo);
            s.executeUpdate();
        }
        return id;
    }

    private static UUID processedEvent(String processedAgo) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection c = LocalBackends.connect("users_test"); PreparedStatement s = c.prepareStatement(
                "insert into processed_event (consumer, event_id, processed_at)"
                        + " values ('test', ?, now() - ?::interval)")) {
            s.setObject(1, id);
            s.setString(2, processedAgo);
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
