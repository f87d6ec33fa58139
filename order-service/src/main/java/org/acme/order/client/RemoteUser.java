package org.acme.order.client;

/** What order-service needs to know of a user, as user-service returns it. */
public record RemoteUser(long id, String name, String email, String status) {

    public boolean active() {
        return "ACTIVE".equals(status);
    }
}
