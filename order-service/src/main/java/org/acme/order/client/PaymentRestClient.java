package org.acme.order.client;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/** payment-service's API as order-service uses it. Only {@link PaymentClient} calls it, through the guard. */
@RegisterRestClient(configKey = Downstreams.PAYMENT_SERVICE)
interface PaymentRestClient {

    @POST
    @Path("/payments")
    Uni<RemotePayment> charge(ChargeRequest request);
}
