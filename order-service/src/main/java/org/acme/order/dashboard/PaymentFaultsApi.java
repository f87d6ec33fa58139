package org.acme.order.dashboard;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

import org.acme.resilience.observe.AdminToken;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/** payment-service's fault injection, set on each of its instances through {@code ManagementCalls}. */
public interface PaymentFaultsApi {

    @PUT
    @Path("/admin/faults")
    Uni<JsonNode> set(@HeaderParam(AdminToken.HEADER) String token, JsonNode faults);
}
