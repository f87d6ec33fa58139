package org.acme.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.acme.order.config.SagaConfig;
import org.acme.order.service.Orders;
import org.acme.order.service.PendingOrderRecovery;
import org.acme.resilience.testing.LocalBackends;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Times that decide come from the database's clock, not from whichever instance wrote the row: an order's
 * timestamps are its transaction's time in PostgreSQL, and recovery's cut-off is measured there too, so instances
 * with drifting clocks agree on which sagas are stale.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "orders_test"))
@QuarkusTestResource(value = DownstreamsMock.class, restrictToAnnotatedClass = true)
class SagaClockTest {

    @Inject
    Orders orders;

    @Inject
    PendingOrderRecovery recovery;

    @Inject
    SagaConfig saga;

    @Inject
    EntityManager em;

    @Test
    void anOrderIsStampedWithItsTransactionsTimeInTheDatabase() {
        Object[] stamped = QuarkusTransaction.requiringNew().call(() -> {
            OffsetDateTime databaseNow = (OffsetDateTime) em.createNativeQuery("select now()", OffsetDateTime.class)
                    .getSingleResult();
            Order order = orders.createPending(1, List.of(item()), new java.math.BigDecimal("1.00"), "EUR", false, null);
            em.flush(); // the insert, and with it the database's timestamp read back into the entity
            return new Object[] { databaseNow, order.id, order.createdAt };
        });
        OffsetDateTime databaseNow = (OffsetDateTime) stamped[0];
        assertThat(((OffsetDateTime) stamped[2]).toInstant()).isEqualTo(databaseNow.toInstant());
        assertThat(stored((UUID) stamped[1], "created_at")).isEqualTo(databaseNow.toInstant().toString());
    }

    @Test
    void recoveryMeasuresStalenessOnTheDatabasesClock() throws SQLException {
        long stale = saga.staleAfter().toSeconds();
        UUID justStale = pendingOrderAged(stale + 2);
        UUID notYet = pendingOrderAged(stale - 5);

        recovery.recover();

        assertThat(Order.<Order> findById(justStale).status).isEqualTo(OrderStatus.CANCELLED);
        assertThat(Order.<Order> findById(notYet).status).isEqualTo(OrderStatus.PENDING);
    }

    /** An order PENDING since {@code seconds} ago by the database's clock. */
    private UUID pendingOrderAged(long seconds) throws SQLException {
        UUID id = orders.createPending(1, List.of(item()), new java.math.BigDecimal("1.00"), "EUR", false, null).id;
        try (Connection db = LocalBackends.connect("orders_test");
                PreparedStatement age = db.prepareStatement(
                        "update orders set created_at = now() - make_interval(secs => ?) where id = ?")) {
            age.setLong(1, seconds);
            age.setObject(2, id);
            age.executeUpdate();
        }
        return id;
    }

    private static OrderItem item() {
        OrderItem item = new OrderItem();
        item.sku = "CLOCK-1";
        item.quantity = 1;
        item.unitPrice = new java.math.BigDecimal("1.00");
        return item;
    }

    private static String stored(UUID orderId, String column) {
        try (Connection db = LocalBackends.connect("orders_test");
                PreparedStatement read = db.prepareStatement("select " + column + " from orders where id = ?")) {
            read.setObject(1, orderId);
            try (ResultSet row = read.executeQuery()) {
                row.next();
                return row.getObject(1, OffsetDateTime.class).toInstant().toString();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
