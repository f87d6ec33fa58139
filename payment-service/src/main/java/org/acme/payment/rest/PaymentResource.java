package org.acme.payment.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.acme.payment.Payment;
import org.acme.payment.rest.Callers.Caller;
import org.acme.payment.service.PaymentService;
import org.acme.resilience.problem.Problem;
import org.acme.resilience.problem.ProblemException;
import org.acme.resilience.problem.ProblemType;
import org.acme.resilience.validation.SupportedCurrency;
import org.eclipse.microprofile.openapi.annotations.Operation;

import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;

/**
 * Charges come only from order-service (service token); reads from order-service or an operator; refunds are an
 * operator action (admin token), besides the compensation on {@code order.cancelled}. See {@link CallersFilter}.
 */
@Path("/payments")
public class PaymentResource {

    static final int MAX_PAGE_SIZE = 100;

    private final PaymentService payments;

    public PaymentResource(PaymentService payments) {
        this.payments = payments;
    }

    @POST
    @Callers(Caller.SERVICE)
    @Operation(summary = "Charge an order (service token). Idempotent by orderId: 201 for a new payment, 200 with the "
            + "first one for a repeat with the same terms, 409 for a repeat with another amount, currency or user. "
            + "A decline is a normal outcome (status DECLINED), not an error.")
    public Response charge(@NotNull @Valid ChargeRequest request, @Context UriInfo uri) {
        SupportedCurrency currency = SupportedCurrency.of(request.currency()).orElseThrow(); // validated
        if (!currency.fits(request.amount())) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "amount " + currency.tooManyDecimals(),
                    List.of(new Problem.FieldError("amount", currency.tooManyDecimals())));
        }
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
    @Callers({ Caller.SERVICE, Caller.OPERATOR })
    @Operation(summary = "One payment (service token or admin token)")
    public PaymentView get(@PathParam("id") UUID id) {
        Payment payment = Payment.findById(id);
        if (payment == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "no payment with id " + id);
        }
        return PaymentView.of(payment);
    }

    @GET
    @Callers({ Caller.SERVICE, Caller.OPERATOR })
    @Operation(summary = "The payment of one order (?orderId=), or all payments oldest first, a page at a time "
            + "(?page=0&size=50, size at most 100; a Link header with rel=\"next\" while there may be more). "
            + "Service token or admin token.")
    public Response list(@QueryParam("orderId") UUID orderId,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(MAX_PAGE_SIZE) int size,
            @Context UriInfo uri) {
        if (orderId != null) {
            return Response.ok(Payment.forOrder(orderId).stream().map(PaymentView::of).toList()).build();
        }
        List<PaymentView> found = Payment.<Payment> findAll(Sort.by("createdAt").and("id"))
                .page(Page.of(page, size)).list().stream().map(PaymentView::of).toList();
        Response.ResponseBuilder response = Response.ok(found);
        if (found.size() == size) {
            response.link(uri.getRequestUriBuilder().replaceQueryParam("page", page + 1)
                    .replaceQueryParam("size", size).build(), "next");
        }
        return response.build();
    }

    @POST
    @Path("/{id}/refund")
    @Callers(Caller.OPERATOR)
    @Operation(summary = "Refund a completed payment (operator; admin token). Idempotent: refunding a refunded payment "
            + "returns it unchanged. Cancelled orders are refunded without this, from order.cancelled.")
    public PaymentView refund(@PathParam("id") UUID id) {
        return PaymentView.of(payments.refund(id));
    }
}
