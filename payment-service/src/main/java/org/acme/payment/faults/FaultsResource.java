package org.acme.payment.faults;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

import org.acme.resilience.observe.AdminToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Operator endpoint to inject faults into {@code /payments} at run time. It does not exist (404) unless
 * {@code resilience.admin.token} is configured, and then answers only to that token in {@code X-Admin-Token}.
 */
@Path("/admin/faults")
public class FaultsResource {

    private final FaultInjection faults;
    private final AdminToken admin;

    public FaultsResource(FaultInjection faults, AdminToken admin) {
        this.faults = faults;
        this.admin = admin;
    }

    @GET
    @Operation(summary = "The faults injected into /payments now (operator; needs the admin token)")
    public Faults get(@HeaderParam(AdminToken.HEADER) String token) {
        admin.check(token);
        return faults.current();
    }

    @PUT
    @Operation(summary = "Set latency, failure rate and down for /payments (operator; needs the admin token)")
    public Faults set(@HeaderParam(AdminToken.HEADER) String token, @NotNull @Valid Faults requested) {
        admin.check(token);
        return faults.set(requested);
    }
}
