package org.acme.user.rest;

import jakarta.validation.constraints.NotNull;

import org.acme.user.UserStatus;

/** Body of {@code PUT /users/{id}/status}. */
public record StatusChange(@NotNull UserStatus status) {
}
