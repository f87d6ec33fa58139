package org.acme.resilience.outbox;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.SourceType;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One event waiting to be (or already) published, written in the same transaction as the state change it announces.
 * Its id is the event id, so a relay that publishes it twice still publishes one event.
 */
@Entity
@Table(name = "outbox")
public class OutboxMessage extends PanacheEntityBase {

    @Id
    public UUID id;

    /** The event type, which is also the routing key on {@code domain_events}. */
    @Column(nullable = false)
    public String type;

    @Column(name = "aggregate_id", nullable = false)
    public String aggregateId;

    /** The whole CloudEvents envelope as it goes on the wire. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public String payload;

    /** Where the row stands in the order events go out: a database sequence, not any instance's clock. */
    @Column(insertable = false, updatable = false)
    public Long seq;

    /** Its transaction's time by the database's clock. */
    @CreationTimestamp(source = SourceType.DB)
    @Column(name = "created_at", nullable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "published_at")
    public OffsetDateTime publishedAt;

    /** While set and in the future, a relay is publishing this row; afterwards any relay may claim it again. */
    @Column(name = "claimed_until")
    public OffsetDateTime claimedUntil;

    @Column(nullable = false)
    public int attempts;
}
