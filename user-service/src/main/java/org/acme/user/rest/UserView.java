package org.acme.user.rest;

import java.time.OffsetDateTime;

import org.acme.user.User;
import org.acme.user.UserStatus;

/** A user as user-service answers; {@code statusVersion} counts the changes of {@code status}. */
public record UserView(long id, String name, String email, UserStatus status, long statusVersion,
        OffsetDateTime createdAt) {

    static UserView of(User user) {
        return new UserView(user.id, user.name, user.email, user.status, user.statusVersion, user.createdAt);
    }
}
