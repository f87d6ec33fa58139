package org.acme.payment.rest;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;

import org.acme.payment.rest.Callers.Caller;
import org.acme.resilience.auth.ServiceToken;
import org.acme.resilience.observe.AdminToken;
import org.acme.resilience.problem.Problem;
import org.acme.resilience.problem.ProblemKind;
import org.acme.resilience.problem.ProblemType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Enforces {@link Callers} on payment-service's API, as ARCHITECTURE.md's operator surface does: an endpoint none of
 * whose tokens is configured does not exist (404); otherwise a request without one of them is 401. Runs before fault
 * injection, body reading and validation, so an unauthenticated caller learns nothing else.
 */
public class CallersFilter {

    private final ServiceToken service;
    private final AdminToken admin;

    public CallersFilter(ServiceToken service, AdminToken admin) {
        this.service = service;
        this.admin = admin;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Response check(ContainerRequestContext request, ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        Callers callers = method == null ? null : method.getAnnotation(Callers.class);
        if (callers == null) {
            return null;
        }
        Set<Caller> allowed = Set.of(callers.value());
        boolean asService = allowed.contains(Caller.SERVICE);
        boolean asOperator = allowed.contains(Caller.OPERATOR);
        if (!(asService && service.configured()) && !(asOperator && admin.configured())) {
            return problem(ProblemType.NOT_FOUND, "this endpoint is disabled: no token for it is configured");
        }
        if (asService && service.accepts(request.getHeaderString(ServiceToken.HEADER))
                || asOperator && admin.accepts(request.getHeaderString(AdminToken.HEADER))) {
            return null;
        }
        String needed = asService && asOperator ? ServiceToken.HEADER + ": Bearer <service token> or " + AdminToken.HEADER
                : asService ? ServiceToken.HEADER + ": Bearer <service token>" : AdminToken.HEADER;
        return problem(ProblemType.UNAUTHORIZED, "missing or wrong credentials: needs " + needed);
    }

    private static Response problem(ProblemKind type, String detail) {
        Response.ResponseBuilder response = Response.status(type.status()).type(Problem.MEDIA_TYPE)
                .entity(new Problem(type.uri(), type.title(), type.status(), detail, List.of()));
        if (type == ProblemType.UNAUTHORIZED) {
            response.header("WWW-Authenticate", "Bearer realm=\"payment-service\"");
        }
        return response.build();
    }
}
