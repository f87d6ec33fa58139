package org.acme.order.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.acme.order.dashboard.SessionCookie.Role;
import org.junit.jupiter.api.Test;

class SessionCookieTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private static SessionCookie cookies(String secret, Instant now) {
        return new SessionCookie(secret.getBytes(StandardCharsets.UTF_8), Duration.ofHours(8),
                Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aCookieProvesItsRoleUntilItExpires() {
        String value = cookies("k", NOW).issue(Role.VIEWER);
        assertThat(value).startsWith("viewer." + NOW.plus(Duration.ofHours(8)).getEpochSecond() + ".");
        assertThat(cookies("k", NOW.plus(Duration.ofHours(7))).verify(value)).hasValueSatisfying(
                session -> assertThat(session.role()).isEqualTo(Role.VIEWER));
        assertThat(cookies("k", NOW.plus(Duration.ofHours(8))).verify(value)).isEmpty();
    }

    @Test
    void aChangedRoleOrExpiryOrAnotherKeyIsRefused() {
        String value = cookies("k", NOW).issue(Role.VIEWER);
        String mac = value.substring(value.lastIndexOf('.'));
        assertThat(cookies("k", NOW).verify("admin." + NOW.plus(Duration.ofHours(8)).getEpochSecond() + mac))
                .isEmpty();
        assertThat(cookies("k", NOW).verify("viewer." + NOW.plus(Duration.ofDays(999)).getEpochSecond() + mac))
                .isEmpty();
        assertThat(cookies("other key", NOW).verify(value)).isEmpty();
        assertThat(cookies("k", NOW).verify("viewer.1.!!not-base64")).isEmpty();
        assertThat(cookies("k", NOW).verify("")).isEmpty();
        assertThat(cookies("k", NOW).verify(null)).isEmpty();
    }
}
