package org.acme.payment;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;

import org.acme.resilience.testing.EventTap;
import org.acme.resilience.testing.LocalBackends;
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

    /** Whether payment-service recorded the order's cancellation, i.e. handled its order.cancelled. */
    static boolean cancellationRecorded(String orderId) throws Exception {
        try (Connection c = LocalBackends.connect("payments_test");
                var query = c.prepareStatement("select count(*) from cancelled_order where order_id = ?::uuid")) {
            query.setString(1, orderId);
            ResultSet rs = query.executeQuery();
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    static String reason(GetResponse message) {
        return String.valueOf(message.getProps().getHeaders().get("x-dead-letter-reason"));
    }
}
