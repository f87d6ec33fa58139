package org.acme.order;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import jakarta.inject.Inject;

import org.acme.resilience.guard.DownstreamGuards;
import org.acme.resilience.testing.LocalBackends;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Bad input never reaches the saga: a 400 problem naming the field, never a 500, never a stack trace. */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "orders_test"))
@QuarkusTestResource(value = DownstreamsMock.class, restrictToAnnotatedClass = true)
class OrderInputTest {

    private static final String VALID_ORDER = """
            {"userId":1,"currency":"EUR","items":[{"sku":"BOOK-1","quantity":2,"unitPrice":12.50}]}""";

    @Inject
    DownstreamGuards circuits;

    /** Both downstreams healthy, so an order that got past the edge would be placed and paid. */
    @BeforeEach
    void healthyDownstreams() {
        Stubs.healthyDownstreams(circuits);
    }

    private static void rejects(String body, String field) {
        given().contentType(ContentType.JSON).body(body).post("/orders")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", hasItem(field))
                .body(not(containsString("at org.")));
    }

    @Test
    void emptyItemsAreRejected() {
        rejects("{\"userId\":1,\"currency\":\"EUR\",\"items\":[]}", "items");
    }

    @Test
    void aNegativeQuantityIsRejected() {
        rejects("{\"userId\":1,\"currency\":\"EUR\",\"items\":[{\"sku\":\"A\",\"quantity\":-1,\"unitPrice\":1}]}",
                "items[0].quantity");
    }

    @Test
    void aZeroPriceIsRejected() {
        rejects("{\"userId\":1,\"currency\":\"EUR\",\"items\":[{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":0}]}",
                "items[0].unitPrice");
    }

    @Test
    void anUnknownCurrencyIsRejected() {
        rejects("{\"userId\":1,\"currency\":\"EURO\",\"items\":[{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":1}]}",
                "currency");
    }

    @Test
    void aMissingUserIsRejected() {
        rejects("{\"currency\":\"EUR\",\"items\":[{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":1}]}", "userId");
    }

    @Test
    void aFractionalQuantityIsRejectedNotTruncated() {
        long before = ordersInDatabase();
        rejects("{\"userId\":1,\"currency\":\"EUR\",\"items\":[{\"sku\":\"A\",\"quantity\":1.5,\"unitPrice\":1}]}",
                "items[0].quantity");
        assertThat(ordersInDatabase()).isEqualTo(before);
    }

    @Test
    void anAnswerTheClientCannotAcceptIsA406ProblemAndPlacesNoOrder() {
        long before = ordersInDatabase();
        given().contentType(ContentType.JSON).accept(ContentType.XML).body(VALID_ORDER).post("/orders")
                .then().statusCode(406).contentType("application/problem+json")
                .body("status", equalTo(406))
                .body("type", equalTo("/problems/not-acceptable"));
        assertThat(ordersInDatabase()).isEqualTo(before);
        Stubs.mock().verify(0, anyRequestedFor(anyUrl())); // neither the user lookup nor a charge happened
    }

    @Test
    void aWronglyTypedFieldIsRejected() {
        rejects("{\"userId\":\"alice\",\"currency\":\"EUR\",\"items\":[]}", "userId");
    }

    @Test
    void malformedJsonIsRejected() {
        given().contentType(ContentType.JSON).body("{\"userId\":1,").post("/orders")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("/problems/malformed-request"));
    }

    @Test
    void aMissingBodyIsRejected() {
        given().contentType(ContentType.JSON).post("/orders")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void anUnknownOrderIsA404Problem() {
        given().get("/orders/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        given().get("/orders/not-a-uuid").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aWrongMediaTypeIsA415Problem() {
        given().contentType(ContentType.TEXT).body("hello").post("/orders")
                .then().statusCode(415).contentType("application/problem+json");
    }

    private static long ordersInDatabase() {
        try (Connection db = LocalBackends.connect("orders_test");
                ResultSet count = db.createStatement().executeQuery("select count(*) from orders")) {
            count.next();
            return count.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
