package org.acme.resilience.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import org.acme.resilience.events.DomainEvent;
import org.acme.resilience.events.EventCodec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The only way a service publishes an event: append it to the outbox inside the transaction that changes the state it
 * announces. Either both commit or neither does; {@link OutboxRelay} delivers it to RabbitMQ once the transaction has
 * committed.
 */
@ApplicationScoped
public class Outbox {

    private final EventCodec codec;
    private final String source;
    private final TransactionSynchronizationRegistry transactions;
    private final OutboxRelay relay;

    public Outbox(EventCodec codec, @ConfigProperty(name = "quarkus.application.name") String source,
            TransactionSynchronizationRegistry transactions, OutboxRelay relay) {
        this.codec = codec;
        this.source = source;
        this.transactions = transactions;
        this.relay = relay;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public DomainEvent append(String type, String aggregateId, Object data) {
        DomainEvent event = codec.envelope(source, type, aggregateId, data);
        OutboxMessage message = new OutboxMessage();
        message.id = event.id();
        message.type = type;
        message.aggregateId = aggregateId;
        message.payload = codec.encode(event);
        message.persist();
        wakeRelayAfterCommit();
        return event;
    }

    private void wakeRelayAfterCommit() {
        if (transactions.getResource(OutboxRelay.class) != null) {
            return; // already registered for this transaction
        }
        transactions.putResource(OutboxRelay.class, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    relay.wake();
                }
            }
        });
    }
}
