package org.acme.user;

/** Events user-service publishes on {@code domain_events}; the type is the routing key. */
public final class UserEvents {

    public static final String REGISTERED = "user.registered";

    /** Data of {@code user.registered}. */
    public record UserRegistered(long userId, String name, String email, UserStatus status) {
    }

    private UserEvents() {
    }
}
