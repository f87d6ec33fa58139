package org.acme.order.client;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

import org.acme.resilience.observe.AdminToken;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/** payment-service's API as order-service uses it. Only {@link PaymentClient} calls it, through the guard. */
@RegisterRestClient(configKey = Downstreams.PAYMENT_SERVICE)
interface PaymentRestClient {

    @POST
    @Path("/payments")
    Uni<RemotePayment> charge(ChargeRequest request);

    @PUT
    @Path("/admin/faults")
    Uni<JsonNode> faults(@HeaderParam(AdminToken.HEADER) String token, JsonNode faults);
}
