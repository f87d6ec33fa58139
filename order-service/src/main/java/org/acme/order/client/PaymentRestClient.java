package org.acme.order.client;

import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import org.acme.resilience.auth.ServiceToken;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/** payment-service's API as order-service uses it. Only {@link PaymentClient} calls it, through the guard. */
@RegisterRestClient(configKey = Downstreams.PAYMENT_SERVICE)
interface PaymentRestClient {

    /** @param authorization {@code Bearer <service token>}, or null (no header) while none is configured */
    @POST
    @Path("/payments")
    Uni<RemotePayment> charge(@HeaderParam(ServiceToken.HEADER) String authorization, ChargeRequest request);

    /** The payments payment-service holds for one order (none, or the one its charges made). */
    @GET
    @Path("/payments")
    Uni<List<RemotePayment>> forOrder(@HeaderParam(ServiceToken.HEADER) String authorization,
            @QueryParam("orderId") UUID orderId);
}
