package org.acme.resilience.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

/** Which failures are an outage of our own database (answered 503 with Retry-After) rather than a bug (500). */
class DatabaseUnreachableTest {

    @Test
    void aConnectionClassSqlStateAnywhereInTheCausesIsAnOutage() {
        SQLException refused = new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
        assertThat(ProblemMappers.databaseUnreachable(new RuntimeException("wrapped", new IllegalStateException(
                refused)))).isTrue();
    }

    /** What the chaos harness saw: Narayana's RollbackException carries the commit's I/O error as suppressed. */
    @Test
    void aCommitThatFailedOnAnIoErrorIsAnOutage() {
        Exception rollback = new Exception("ARJUNA016053: Could not commit transaction.");
        Exception xa = new Exception("Error trying to transactionCommit local transaction",
                new SQLException("An I/O error occurred while sending to the backend.", "08006"));
        rollback.addSuppressed(xa);
        assertThat(ProblemMappers.databaseUnreachable(new RuntimeException(rollback))).isTrue();
    }

    @Test
    void thePoolGivingUpWaitingIsAnOutage() {
        assertThat(ProblemMappers.databaseUnreachable(new SQLException("Sorry, acquisition timeout!"))).isTrue();
    }

    @Test
    void aConstraintViolationOrABugIsNot() {
        assertThat(ProblemMappers.databaseUnreachable(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(ProblemMappers.databaseUnreachable(new NullPointerException())).isFalse();
    }
}
