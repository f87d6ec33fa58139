package org.acme.payment;

import java.io.IOException;
import org.acme.resilience.testing.EventTap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import com.rabbitmq.client.GetResponse;

/**
 * What the consumer tests share: a plain AMQP client on the real broker that publishes onto domain_events, hears
 * payment.refunded, and reads payment-service's (test) dead-letter queue, emptied before each test.
 */
abstract class ConsumerQueueFixture {

    static final String QUEUE = "payment-service.order-events.test";
    static final String DLQ = QUEUE + ".dlq";
    static EventTap rabbit;

    @BeforeAll
    static void connect() {
        rabbit = EventTap.bind("payment.refunded");
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    @BeforeEach
    void emptyDeadLetterQueue() throws IOException {
        rabbit.drain(DLQ);
    }

    static String reason(GetResponse message) {
        return String.valueOf(message.getProps().getHeaders().get("x-dead-letter-reason"));
    }
}
