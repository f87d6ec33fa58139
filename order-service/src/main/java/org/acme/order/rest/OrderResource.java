package org.acme.order.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.acme.order.Order;
import org.acme.order.OrderStatus;
import org.acme.order.service.OrderSaga;
import org.acme.resilience.problem.ProblemException;
import org.acme.resilience.problem.ProblemType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;

/** Orders, in JSON only: a client that accepts no JSON gets a 406 before anything is placed. */
@Path("/orders")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class OrderResource {

    private static final int MAX_LISTED = 100;

    private final OrderSaga saga;

    public OrderResource(OrderSaga saga) {
        this.saga = saga;
    }

    @POST
    @Operation(summary = "Place an order and run its saga to the end: 201 with the order CONFIRMED or CANCELLED "
            + "(with a reason); 422 for an unknown or blocked user; 503 when the user cannot be checked.")
    public Response place(@NotNull @Valid PlaceOrder request, @Context UriInfo uri) {
        Order order = saga.place(request.userId(), request.orderItems(), request.currency());
        URI location = uri.getAbsolutePathBuilder().path(order.id.toString()).build();
        return Response.created(location).entity(OrderView.of(order)).build();
    }

    @GET
    @Path("/{id}")
    public OrderView get(@PathParam("id") UUID id) {
        Order order = Order.findById(id);
        if (order == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "no order with id " + id);
        }
        return OrderView.of(order);
    }

    @GET
    @Operation(summary = "The most recent orders (at most 100), optionally only those in one status")
    public List<OrderView> list(@QueryParam("status") String status) {
        Sort newestFirst = Sort.descending("createdAt");
        var query = status == null
                ? Order.<Order> findAll(newestFirst)
                : Order.<Order> find("status", newestFirst, parseStatus(status));
        return query.page(Page.ofSize(MAX_LISTED)).list().stream().map(OrderView::of).toList();
    }

    private static OrderStatus parseStatus(String status) {
        try {
            return OrderStatus.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED,
                    "status must be one of PENDING, CONFIRMED, CANCELLED, was " + status);
        }
    }
}
