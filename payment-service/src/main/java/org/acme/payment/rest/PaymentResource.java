package org.acme.payment.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.acme.payment.Payment;
import org.acme.payment.service.PaymentService;
import org.acme.resilience.problem.ProblemException;
import org.acme.resilience.problem.ProblemType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import io.quarkus.panache.common.Sort;

@Path("/payments")
public class PaymentResource {

    private final PaymentService payments;

    public PaymentResource(PaymentService payments) {
        this.payments = payments;
    }

    @POST
    @Operation(summary = "Charge an order. Idempotent by orderId: 201 for a new payment, 200 with the first one for a "
            + "repeat. A decline is a normal outcome (status DECLINED), not an error.")
    public Response charge(@NotNull @Valid ChargeRequest request, @Context UriInfo uri) {
        PaymentService.Charge charge = payments.charge(request.orderId(), request.userId(), request.amount(),
                request.currency());
        PaymentView view = PaymentView.of(charge.payment());
        if (!charge.created()) {
            return Response.ok(view).build();
        }
        URI location = uri.getAbsolutePathBuilder().path(view.id().toString()).build();
        return Response.created(location).entity(view).build();
    }

    @GET
    @Path("/{id}")
    public PaymentView get(@PathParam("id") UUID id) {
        Payment payment = Payment.findById(id);
        if (payment == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "no payment with id " + id);
        }
        return PaymentView.of(payment);
    }

    @GET
    @Operation(summary = "Payments, optionally only the one of an order")
    public List<PaymentView> list(@QueryParam("orderId") UUID orderId) {
        List<Payment> found = orderId == null
                ? Payment.listAll(Sort.by("createdAt"))
                : Payment.forOrder(orderId).stream().toList();
        return found.stream().map(PaymentView::of).toList();
    }

    @POST
    @Path("/{id}/refund")
    @Operation(summary = "Refund a completed payment. Idempotent: refunding a refunded payment returns it unchanged.")
    public PaymentView refund(@PathParam("id") UUID id) {
        return PaymentView.of(payments.refund(id));
    }
}
