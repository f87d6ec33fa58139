package org.acme.user.rest;

import java.time.OffsetDateTime;

import org.acme.user.User;
import org.acme.user.UserStatus;

public record UserView(long id, String name, String email, UserStatus status, OffsetDateTime createdAt) {

    static UserView of(User user) {
        return new UserView(user.id, user.name, user.email, user.status, user.createdAt);
    }
}
