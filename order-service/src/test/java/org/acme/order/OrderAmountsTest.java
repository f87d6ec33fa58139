package org.acme.order;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static io.restassured.RestAssured.given;
import static org.acme.order.Stubs.ACTIVE_USER;
import static org.acme.order.Stubs.mock;
import static org.acme.order.Stubs.placeOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.util.List;

import jakarta.inject.Inject;

import org.acme.resilience.guard.DownstreamGuards;
import org.acme.resilience.testing.LocalBackends;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Amounts in each currency's minor units, and a bounded total: 400 for a malformed price, 422 for too much. */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "orders_test"))
@QuarkusTestResource(value = DownstreamsMock.class, restrictToAnnotatedClass = true)
class OrderAmountsTest {

    @Inject
    DownstreamGuards circuits;

    @BeforeEach
    void healthyDownstreams() {
        Stubs.healthyDownstreams(circuits);
    }

    @Test
    void anOverflowingTotalIsA422ProblemNamingTheTotalAndNothingHappens() {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 100; i++) { // 100 × 10,000 × 99,999,999.99: every field within its own bounds
            items.append(i == 0 ? "" : ",").append("{\"sku\":\"GOLD-%d\",\"quantity\":10000,\"unitPrice\":99999999.99}"
                    .formatted(i));
        }
        long before = countOrders();
        given().contentType(ContentType.JSON)
                .body("{\"userId\":1,\"currency\":\"EUR\",\"items\":[" + items + "]}").post("/orders")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("/problems/total-over-limit"))
                .body("status", equalTo(422))
                .body("errors.field", equalTo(List.of("total")))
                .body("detail", containsString("99999999990000.00"))
                .body(not(containsString("at org.")));

        placeOrder(ACTIVE_USER, "EUR", 10_000, "100000.01").then().statusCode(422) // just over 10^9
                .body("type", equalTo("/problems/total-over-limit"));
        assertThat(countOrders()).isEqualTo(before);
        mock().verify(0, getRequestedFor(urlMatching("/users/.*")));
        mock().verify(0, postRequestedFor(urlEqualTo("/payments")));
    }

    @Test
    void aJpyOrderHasNoMinorUnit() {
        String body = placeOrder(ACTIVE_USER, "JPY", 2, "1500").then().statusCode(201)
                .body("status", equalTo("CONFIRMED")).extract().asString();
        assertThat(body).contains("\"total\":3000,").contains("\"unitPrice\":1500}");
        mock().verify(postRequestedFor(urlEqualTo("/payments"))
                .withRequestBody(equalToJson("{\"amount\":3000,\"currency\":\"JPY\"}", true, true)));

        placeOrder(ACTIVE_USER, "JPY", 1, "12.5").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("items[0].unitPrice")))
                .body("errors[0].message", containsString("no minor unit"));
    }

    @Test
    void aKwdOrderHasThreeDecimalsAndEurTwo() {
        String kwd = placeOrder(ACTIVE_USER, "KWD", 2, "1.234").then().statusCode(201)
                .body("status", equalTo("CONFIRMED")).extract().asString();
        assertThat(kwd).contains("\"total\":2.468,");
        String eur = placeOrder(ACTIVE_USER, "EUR", 3, "2.5").then().statusCode(201).extract().asString();
        assertThat(eur).contains("\"total\":7.50,").contains("\"unitPrice\":2.50}");

        placeOrder(ACTIVE_USER, "EUR", 1, "2.505").then().statusCode(400)
                .body("errors.field", equalTo(List.of("items[0].unitPrice")));
        placeOrder(ACTIVE_USER, "KWD", 1, "1.2345").then().statusCode(400)
                .body("errors.field", equalTo(List.of("items[0].unitPrice")));
    }

    @Test
    void onlySupportedCurrenciesAreTaken() {
        for (String code : new String[] { "XAU", "XXX" }) { // ISO 4217 codes, but no money to charge
            placeOrder(ACTIVE_USER, code, 1, "1").then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", equalTo(List.of("currency")));
        }
    }

    private static long countOrders() {
        return QuarkusTransaction.requiringNew().call(() -> Order.count());
    }
}
