package org.acme.order;

import static io.restassured.RestAssured.given;
import static org.acme.order.DashboardFixtures.ADMIN_TOKEN;
import static org.acme.order.DashboardFixtures.COOKIE;
import static org.acme.order.DashboardFixtures.VIEWER_TOKEN;
import static org.acme.order.DashboardFixtures.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.acme.resilience.testing.LocalBackends;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.http.Cookie;

/**
 * The dashboard's session: the admin or the viewer token, posted once, becomes an HttpOnly, SameSite=Strict cookie
 * scoped to {@code /dashboard}, signed, carrying its role and expiry, because a browser's {@code EventSource} cannot
 * send a header. A wrong token or a forged cookie is refused with 401.
 */
@QuarkusTest
@TestProfile(DashboardFixtures.WithTokens.class)
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "orders_test"))
@QuarkusTestResource(value = DownstreamsMock.class, restrictToAnnotatedClass = true)
class DashboardSessionTest {

    @Test
    void theAdminTokenBecomesAnHttpOnlyStrictCookieForTheDashboardOnly() {
        Cookie cookie = given().contentType(ContentType.JSON).body(Map.of("token", ADMIN_TOKEN))
                .post("/dashboard/session")
                .then().statusCode(204)
                .extract().detailedCookie(COOKIE);
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualToIgnoringCase("Strict");
        assertThat(cookie.getPath()).isEqualTo("/dashboard");
        assertThat(cookie.getMaxAge()).isEqualTo(8 * 3600);
        assertThat(cookie.getValue()).doesNotContain(ADMIN_TOKEN);

        given().cookie(COOKIE, cookie.getValue()).get("/dashboard/session")
                .then().statusCode(200).body("role", equalTo("admin"));
    }

    @Test
    void theViewerTokenBecomesAReadOnlySession() {
        given().cookie(COOKIE, session(VIEWER_TOKEN)).get("/dashboard/session")
                .then().statusCode(200).body("role", equalTo("viewer"));
    }

    @Test
    void aWrongTokenOrAForgedCookieIsRefused() {
        given().contentType(ContentType.JSON).body(Map.of("token", "guess")).post("/dashboard/session")
                .then().statusCode(401).contentType("application/problem+json")
                .header("Set-Cookie", (String) null);
        given().get("/dashboard/session").then().statusCode(401).contentType("application/problem+json");

        String viewer = session(VIEWER_TOKEN);
        String promoted = "admin" + viewer.substring(viewer.indexOf('.'));
        given().cookie(COOKIE, promoted).get("/dashboard/session").then().statusCode(401);
        given().cookie(COOKIE, promoted).get("/dashboard/circuits").then().statusCode(401);
        given().cookie(COOKIE, "garbage").get("/dashboard/session").then().statusCode(401);
    }

    @Test
    void endingTheSessionClearsTheCookie() {
        Cookie cleared = given().cookie(COOKIE, session(ADMIN_TOKEN)).delete("/dashboard/session")
                .then().statusCode(204)
                .extract().detailedCookie(COOKIE);
        assertThat(cleared.getValue()).isEmpty();
        assertThat(cleared.getMaxAge()).isZero();
        assertThat(cleared.getPath()).isEqualTo("/dashboard");
    }

    @Test
    void scriptsUseTheAdminTokenHeaderInstead() {
        given().header("X-Admin-Token", ADMIN_TOKEN).get("/dashboard/session")
                .then().statusCode(200).body("role", equalTo("admin"));
    }
}
