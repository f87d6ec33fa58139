package org.acme.user.rest;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public record NewUser(
        @NotBlank @Size(max = 200) String name,
        @NotBlank @Email @Size(max = 320) String email) {
}
