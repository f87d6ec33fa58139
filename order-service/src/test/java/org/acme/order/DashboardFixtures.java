package org.acme.order;

import static io.restassured.RestAssured.given;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.http.ContentType;

/** What the dashboard's tests share: its two tokens, a profile that sets them, and signing in for a session. */
final class DashboardFixtures {

    static final String ADMIN_TOKEN = "s3cret";
    static final String VIEWER_TOKEN = "v1ewer-token";
    static final int MAX_WATCHERS = 2;
    static final String COOKIE = "dashboard_session";

    /** Both tokens, and a cap of two watchers so the third can be refused. */
    public static class WithTokens implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("resilience.admin.token", ADMIN_TOKEN,
                    "order.dashboard.viewer-token", VIEWER_TOKEN,
                    "order.dashboard.max-watchers", String.valueOf(MAX_WATCHERS));
        }
    }

    private DashboardFixtures() {
    }

    /** A session for {@code token}: the value of its cookie. */
    static String session(String token) {
        return given().contentType(ContentType.JSON).body(Map.of("token", token))
                .post("/dashboard/session")
                .then().statusCode(204)
                .extract().cookie(COOKIE);
    }
}
