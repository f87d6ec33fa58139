package org.acme.order.client;

/**
 * What order-service needs to know of a user, as user-service returns it. {@code statusVersion} counts the user's
 * status changes (0 from a user-service that does not send it).
 */
public record RemoteUser(long id, String name, String email, String status, long statusVersion) {

    public boolean active() {
        return "ACTIVE".equals(status);
    }
}
