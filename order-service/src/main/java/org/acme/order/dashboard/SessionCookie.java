package org.acme.order.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The value of the dashboard's session cookie: {@code <role>.<expiry, epoch seconds>.<HMAC-SHA256 of both>}, so a
 * browser holds neither token, only a proof that it once presented one, and the server keeps no session state (every
 * instance with the same key accepts it). The signing key is derived from a secret, never the secret itself.
 */
final class SessionCookie {

    static final String NAME = "dashboard_session";
    /** The cookie is sent back for the dashboard's own paths only, not for the business API. */
    static final String PATH = "/dashboard";

    /** What a session may do: a viewer watches, the admin also uses the controls. */
    enum Role {
        ADMIN, VIEWER;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    record Session(Role role, Instant expiresAt) {
    }

    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] PURPOSE = "order-service dashboard session v1".getBytes(StandardCharsets.UTF_8);

    private final byte[] key;
    private final Duration ttl;
    private final Clock clock;

    SessionCookie(byte[] secret, Duration ttl, Clock clock) {
        this.key = hmac(secret, PURPOSE);
        this.ttl = ttl;
        this.clock = clock;
    }

    Duration ttl() {
        return ttl;
    }

    String issue(Role role) {
        String payload = role.label() + "." + clock.instant().plus(ttl).getEpochSecond();
        return payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, bytes(payload)));
    }

    /** The session a cookie value proves, if its signature is ours and it has not expired. */
    Optional<Session> verify(String value) {
        if (value == null) {
            return Optional.empty();
        }
        int lastDot = value.lastIndexOf('.');
        int firstDot = value.indexOf('.');
        if (firstDot <= 0 || lastDot <= firstDot) {
            return Optional.empty();
        }
        String payload = value.substring(0, lastDot);
        byte[] presented;
        try {
            presented = Base64.getUrlDecoder().decode(value.substring(lastDot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(hmac(key, bytes(payload)), presented)) {
            return Optional.empty();
        }
        Role role;
        Instant expiresAt;
        try {
            role = Role.valueOf(payload.substring(0, firstDot).toUpperCase(Locale.ROOT));
            expiresAt = Instant.ofEpochSecond(Long.parseLong(payload.substring(firstDot + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // signed by us, so never in practice
        }
        return clock.instant().isBefore(expiresAt) ? Optional.of(new Session(role, expiresAt)) : Optional.empty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }
}
