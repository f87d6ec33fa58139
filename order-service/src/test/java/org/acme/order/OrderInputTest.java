package org.acme.order;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import java.util.UUID;

import org.acme.resilience.testing.LocalBackends;
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
}
