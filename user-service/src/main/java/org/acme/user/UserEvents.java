package org.acme.user;

/** Events user-service publishes on {@code domain_events}; the type is the routing key. */
public final class UserEvents {

    public static final String REGISTERED = "user.registered";
    public static final String STATUS_CHANGED = "user.status-changed";

    /** Data of {@code user.registered}. */
    public record UserRegistered(long userId, String name, String email, UserStatus status) {
    }

    /** Data of {@code user.status-changed}: no personal data, only what a cache of users needs to judge itself. */
    public record UserStatusChanged(long userId, UserStatus status, long statusVersion) {
    }

    private UserEvents() {
    }
}
