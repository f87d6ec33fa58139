package org.acme.user;

/** Only ACTIVE users may place orders. */
public enum UserStatus {
    ACTIVE, BLOCKED
}
