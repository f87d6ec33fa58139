package org.acme.order;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.acme.order.Stubs.ACTIVE_USER;
import static org.acme.order.Stubs.mock;
import static org.acme.order.Stubs.placeOrder;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.acme.order.service.PaymentReconciliation;
import org.acme.order.service.PaymentReconciliation.Repair;
import org.acme.resilience.guard.DownstreamGuard;
import org.acme.resilience.guard.DownstreamGuards;
import org.acme.resilience.testing.EventTap;
import org.acme.resilience.testing.LocalBackends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.http.Fault;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The reconciliation of finished orders with what payment-service holds ({@code GET /payments?orderId=}, stubbed):
 * a cancelled order still charged gets its compensation published again until the payment shows refunded, a
 * refund payment-service made is recorded, a confirmed order without a payment and a payment with other terms are
 * flagged for an operator, and an order that agrees is checked once.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "orders_test"))
@QuarkusTestResource(value = DownstreamsMock.class, restrictToAnnotatedClass = true)
class OrderReconciliationTest {

    static EventTap rabbit;

    @Inject
    DownstreamGuards circuits;

    @Inject
    PaymentReconciliation reconciliation;

    @Inject
    MeterRegistry metrics;

    @BeforeAll
    static void tap() {
        rabbit = EventTap.bind("order.*");
    }

    @AfterAll
    static void untap() throws Exception {
        rabbit.close();
    }

    /** Healthy downstreams, and the orders of earlier tests out of the way: each test reconciles its own. */
    @BeforeEach
    void onlyThisTestsOrders() throws SQLException {
        Stubs.healthyDownstreams(circuits);
        try (Connection db = LocalBackends.connect("orders_test")) {
            db.createStatement().executeUpdate("update orders set reconciled_at = now() where reconciled_at is null");
        }
    }

    @Test
    void aCancelledOrderStillChargedIsCompensatedAgainUntilPaymentServiceShowsTheRefund() throws Exception {
        // the saga gave up (declined answer here), but a charge of the order's terms exists: e.g. a retry that landed
        // late, whose order.cancelled was lost or delayed
        Stubs.paymentAnswers("DECLINED");
        String id = placeOrder(ACTIVE_USER).then().statusCode(201).extract().path("id");
        rabbit.await(e -> id.equals(e.subject()) && "order.cancelled".equals(e.routingKey()), Duration.ofSeconds(10));
        paymentServiceHolds(id, "COMPLETED", "28.00", "EUR");
        double before = repaired("refund-requested");

        assertThat(reconciliation.run()).containsEntry(Repair.REFUND_REQUESTED, 1);
        rabbit.await(e -> id.equals(e.subject()) && "order.cancelled".equals(e.routingKey())
                && rabbit.forSubject(id).stream().filter(r -> "order.cancelled".equals(r.routingKey())).count() == 2,
                Duration.ofSeconds(10));
        assertThat(repaired("refund-requested")).isEqualTo(before + 1);
        assertThat(reconciliation.run()).containsEntry(Repair.REFUND_REQUESTED, 1); // until it shows refunded

        paymentServiceHolds(id, "REFUNDED", "28.00", "EUR");
        assertThat(reconciliation.run()).containsEntry(Repair.REFUND_RECORDED, 1);
        given().get("/orders/" + id).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("REFUNDED"));
        assertThat(reconciliation.run()).isEmpty(); // reconciled: not checked again
    }

    @Test
    void aConfirmedOrderWithoutAPaymentIsFlaggedForAnOperator() {
        String id = placeOrder(ACTIVE_USER).then().statusCode(201).extract().path("id");
        mock().stubFor(paymentsOf(id).willReturn(okJson("[]")));

        assertThat(reconciliation.run()).containsEntry(Repair.CONFIRMED_WITHOUT_PAYMENT, 1);
        given().get("/orders/" + id).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("CONFIRMED"))
                .body("attention", org.hamcrest.Matchers.containsString("without a completed payment"));
        assertThat(repaired("confirmed-without-payment")).isPositive();
    }

    @Test
    void aPaymentWithOtherTermsIsReportedNeverRefundedBlindly() throws Exception {
        Stubs.paymentAnswers("DECLINED");
        String id = placeOrder(ACTIVE_USER).then().statusCode(201).extract().path("id");
        paymentServiceHolds(id, "COMPLETED", "0.01", "EUR");

        assertThat(reconciliation.run()).containsEntry(Repair.PAYMENT_CONFLICT, 1);
        given().get("/orders/" + id).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("CANCELLED"))
                .body("attention", org.hamcrest.Matchers.startsWith("payment conflict"));
        assertThat(rabbit.forSubject(id).stream().filter(r -> "order.cancelled".equals(r.routingKey())))
                .hasSize(1); // no second compensation for a payment that is not this order's
    }

    @Test
    void anOrderThatAgreesIsCheckedOnce() {
        String id = placeOrder(ACTIVE_USER).then().statusCode(201).extract().path("id");
        paymentServiceHolds(id, "COMPLETED", "28.00", "EUR");

        assertThat(reconciliation.run()).containsEntry(Repair.NONE, 1);
        assertThat(reconciliation.run()).isEmpty();
        mock().verify(1, getRequestedFor(urlPathEqualTo("/payments")).withQueryParam("orderId", equalTo(id)));
    }

    @Test
    void whilePaymentServiceCannotAnswerNothingIsDecided() {
        String id = placeOrder(ACTIVE_USER).then().statusCode(201).extract().path("id");
        mock().stubFor(paymentsOf(id).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThat(reconciliation.run()).isEmpty();
        circuits.all().forEach(DownstreamGuard::reset);
        paymentServiceHolds(id, "COMPLETED", "28.00", "EUR");
        assertThat(reconciliation.run()).containsEntry(Repair.NONE, 1); // checked on a later run
    }

    private static com.github.tomakehurst.wiremock.client.MappingBuilder paymentsOf(String orderId) {
        return get(urlPathEqualTo("/payments")).withQueryParam("orderId", equalTo(orderId))
                .withHeader("Authorization", equalTo(Stubs.SERVICE_AUTHORIZATION));
    }

    private static void paymentServiceHolds(String orderId, String status, String amount, String currency) {
        mock().stubFor(paymentsOf(orderId).willReturn(okJson("""
                [{"id":"%s","orderId":"%s","userId":1,"amount":%s,"currency":"%s","status":"%s"}]"""
                .formatted(UUID.randomUUID(), orderId, amount, currency, status))));
    }

    private double repaired(String repair) {
        var counter = metrics.find("orders_reconciled_total").tag("repair", repair).counter();
        return counter == null ? 0 : counter.count();
    }
}
