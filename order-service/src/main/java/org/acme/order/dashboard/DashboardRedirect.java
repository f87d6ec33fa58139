package org.acme.order.dashboard;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;

/**
 * {@code /dashboard} leads to the page at {@code /dashboard/}: the page is a static file whose relative links need the
 * trailing slash, and a person typing the address leaves it out. A regex route, because Vert.x's plain path
 * {@code /dashboard} would also match {@code /dashboard/} and redirect it to itself.
 */
@ApplicationScoped
class DashboardRedirect {

    void route(@Observes Router router) {
        router.getWithRegex("/dashboard").handler(request -> request.response()
                .setStatusCode(301)
                .putHeader("Location", "/dashboard/")
                .end());
    }
}
