package org.acme.payment.rest;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** Who may call a resource method; {@link CallersFilter} checks it before the request body is even read. */
@Retention(RUNTIME)
@Target(METHOD)
@interface Callers {

    Caller[] value();

    enum Caller {
        /** Another service of this system, with {@code Authorization: Bearer <service token>}. */
        SERVICE,
        /** An operator, with {@code X-Admin-Token}. */
        OPERATOR
    }
}
