package org.acme.order;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import java.util.UUID;

import org.acme.resilience.guard.DownstreamGuard;
import org.acme.resilience.guard.DownstreamGuards;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;

/** Builders for the downstream answers and requests the order tests use. */
final class Stubs {

    static final long ACTIVE_USER = 1;
    static final long BLOCKED_USER = 3;
    static final long UNKNOWN_USER = 404;

    private Stubs() {
    }

    static WireMockServer mock() {
        return DownstreamsMock.server();
    }

    /** Both downstreams up: user-service knows the demo users, payment-service pays; every circuit closed. */
    static void healthyDownstreams(DownstreamGuards circuits) {
        DownstreamsMock.restart();
        mock().resetAll();
        circuits.all().forEach(DownstreamGuard::reset);
        userServiceKnowsTheDemoUsers();
        paymentAnswers("COMPLETED");
    }

    static void userServiceKnowsTheDemoUsers() {
        user(ACTIVE_USER, "ACTIVE");
        user(BLOCKED_USER, "BLOCKED");
        mock().stubFor(get(urlEqualTo("/users/" + UNKNOWN_USER)).willReturn(problem(404)));
    }

    static void user(long id, String status) {
        mock().stubFor(get(urlEqualTo("/users/" + id)).willReturn(okJson("""
                {"id":%d,"name":"User %d","email":"u%d@example.org","status":"%s"}""".formatted(id, id, id, status))));
    }

    /** The service token order-service's test profile sets (application.properties). */
    static final String SERVICE_AUTHORIZATION = "Bearer test-service-token";

    /**
     * {@code POST /payments} as payment-service accepts it: only with the service token. A charge without it is not
     * matched, and WireMock's 404 then cancels the order, so every test that confirms an order proves the token.
     */
    static MappingBuilder charges() {
        return post(urlEqualTo("/payments")).withHeader("Authorization", equalTo(SERVICE_AUTHORIZATION));
    }

    /** payment-service answers with a payment of the terms it was asked for, in the given status. */
    static void paymentAnswers(String status) {
        paymentAnswersAfter(status, 0);
    }

    /** payment-service answers {@code status} for the order charged, after {@code millis}. */
    static void paymentAnswersAfter(String status, int millis) {
        mock().stubFor(charges().willReturn(aResponse().withStatus(201).withFixedDelay(millis)
                .withHeader("Content-Type", "application/json")
                .withTransformers("response-template")
                .withBody("""
                        {"id":"%s","orderId":"{{jsonPath request.body '$.orderId'}}","status":"%s",%s
                        "amount":{{jsonPath request.body '$.amount'}},"currency":"{{jsonPath request.body '$.currency'}}"}"""
                        .formatted(UUID.randomUUID(), status,
                                "DECLINED".equals(status) ? "\"reason\":\"amount exceeds the limit\"," : ""))));
    }

    /** payment-service answers COMPLETED, but with a payment for other terms than asked (an older charge). */
    static void paymentAnswersWithTerms(String amount, String currency) {
        mock().stubFor(charges().willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withTransformers("response-template")
                .withBody("""
                        {"id":"%s","orderId":"{{jsonPath request.body '$.orderId'}}","status":"COMPLETED",
                        "amount":%s,"currency":"%s"}""".formatted(UUID.randomUUID(), amount, currency))));
    }

    static void paymentFailsWith(int status) {
        mock().stubFor(charges().willReturn(problem(status)));
    }

    static void paymentTakes(int millis) {
        mock().stubFor(charges().willReturn(okJson("""
                {"id":"%s","orderId":"%s","status":"COMPLETED"}""".formatted(UUID.randomUUID(), UUID.randomUUID()))
                .withFixedDelay(millis)));
    }

    static ResponseDefinitionBuilder problem(int status) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/problem+json")
                .withBody("{\"status\":" + status + ",\"title\":\"stub\"}");
    }

    /** One item of {@code quantity} × {@code unitPrice} (a JSON number, as written) in {@code currency}. */
    static io.restassured.response.Response placeOrder(long userId, String currency, int quantity, String unitPrice) {
        return given().contentType(ContentType.JSON).body("""
                {"userId":%d,"currency":"%s","items":[{"sku":"ITEM-1","quantity":%d,"unitPrice":%s}]}"""
                .formatted(userId, currency, quantity, unitPrice))
                .post("/orders");
    }

    static io.restassured.response.Response placeOrder(long userId) {
        return given().contentType(ContentType.JSON).body("""
                {"userId":%d,"currency":"EUR","items":[
                  {"sku":"BOOK-1","quantity":2,"unitPrice":12.50},{"sku":"PEN-9","quantity":1,"unitPrice":3.00}]}"""
                .formatted(userId))
                .post("/orders");
    }

    /** The data of payment-service's {@code payment.refunded} for an order of 28.00 EUR. */
    static String refundData(String orderId) {
        return """
                {"paymentId":"%s","orderId":"%s","userId":1,"amount":28.00,"currency":"EUR","status":"REFUNDED",
                 "reason":null}""".formatted(java.util.UUID.randomUUID(), orderId);
    }
}
