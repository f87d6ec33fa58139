package org.acme.payment;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** What payment-service's tests send: charges as order-service sends them, and operator calls with the admin token. */
final class PaymentRequests {

    /** The service token of the test profile (application.properties), as order-service presents it. */
    static final String SERVICE_AUTHORIZATION = "Bearer test-service-token";

    /** The operator's token in {@link WithAdminToken}. */
    static final String ADMIN_TOKEN = "operator-secret";

    /** payment-service with the admin token configured, so its operator endpoints exist. */
    public static class WithAdminToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("resilience.admin.token", ADMIN_TOKEN);
        }
    }

    private PaymentRequests() {
    }

    /** A request from order-service: with the service token. */
    static RequestSpecification asOrderService() {
        return given().header("Authorization", SERVICE_AUTHORIZATION);
    }

    static Response charge(UUID orderId, String amount) {
        return charge(orderId, 1, amount, "EUR");
    }

    static Response charge(UUID orderId, long userId, String amount, String currency) {
        return asOrderService().contentType(ContentType.JSON)
                .body("""
                        {"orderId":"%s","userId":%d,"amount":%s,"currency":"%s"}""".formatted(orderId, userId, amount,
                        currency))
                .post("/payments");
    }
}
