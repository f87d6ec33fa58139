package org.acme.order.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import org.acme.order.OrderProblems;
import org.acme.order.OrderStatus;
import org.acme.order.service.IdempotencyKeys;
import org.acme.order.service.OrderSaga;
import org.acme.resilience.problem.ProblemException;
import org.acme.resilience.problem.ProblemType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;

/** Orders, in JSON only: a client that accepts no JSON gets a 406 before anything is placed. */
@Path("/orders")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class OrderResource {

    /** The request header that makes {@code POST /orders} safe to retry. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Marks an answer replayed for a repeated {@code Idempotency-Key} (as Stripe and others do). */
    public static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";
    private static final int MAX_KEY_LENGTH = 255;
    private static final int MAX_LISTED = 100;

    private final OrderSaga saga;
    private final IdempotencyKeys keys;
    private final ObjectMapper json;

    public OrderResource(OrderSaga saga, IdempotencyKeys keys, ObjectMapper json) {
        this.saga = saga;
        this.keys = keys;
        this.json = json;
    }

    @POST
    @Operation(summary = "Place an order and run its saga to the end: 201 with the order CONFIRMED or CANCELLED "
            + "(with a reason); 422 for an unknown or blocked user; 503 when the user cannot be checked. With an "
            + "Idempotency-Key, a repeat gets the first answer again (422 with another body, 409 while the first "
            + "is still running).")
    public Response place(@HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey, @NotNull @Valid PlaceOrder request,
            @Context UriInfo uri) {
        if (idempotencyKey == null) {
            return created(place(request, null), uri);
        }
        IdempotencyKeys.Key key = new IdempotencyKeys.Key(request.userId(), keyValue(idempotencyKey),
                IdempotencyKeys.fingerprint(canonical(request)));
        IdempotencyKeys.Claim claim = keys.claim(key);
        if (claim instanceof IdempotencyKeys.Claim.Replay replay) {
            return Response.status(replay.status()).type(MediaType.APPLICATION_JSON).entity(replay.body())
                    .location(location(uri, replay.orderId())).header(IDEMPOTENT_REPLAYED, "true").build();
        }
        Order order;
        if (claim instanceof IdempotencyKeys.Claim.Abandoned abandoned) {
            order = Order.findById(abandoned.orderId());
            if (order.status == OrderStatus.PENDING) {
                throw new ProblemException(OrderProblems.IDEMPOTENCY_KEY_IN_USE, "the order of Idempotency-Key "
                        + key.value() + " is being recovered; retry later to get its answer");
            }
        } else {
            try {
                order = place(request, key);
            } catch (RuntimeException noOrder) {
                keys.release(key); // nothing was created: the client's retry is a first attempt
                throw noOrder;
            }
        }
        OrderView view = OrderView.of(order);
        keys.answered(key, Response.Status.CREATED.getStatusCode(), serialized(view));
        return created(order, uri);
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

    private Order place(PlaceOrder request, IdempotencyKeys.Key key) {
        return saga.place(request.userId(), request.orderItems(), request.currency(), key);
    }

    private static Response created(Order order, UriInfo uri) {
        return Response.created(location(uri, order.id)).entity(OrderView.of(order)).build();
    }

    private static URI location(UriInfo uri, UUID orderId) {
        return uri.getAbsolutePathBuilder().path(orderId.toString()).build();
    }

    /** The key as sent: a Structured Fields string ({@code "…"}) as the draft has it, or bare as most clients send. */
    private static String keyValue(String header) {
        String value = header.length() >= 2 && header.startsWith("\"") && header.endsWith("\"")
                ? header.substring(1, header.length() - 1)
                : header;
        if (value.isEmpty() || value.length() > MAX_KEY_LENGTH || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, IDEMPOTENCY_KEY
                    + " must be 1 to " + MAX_KEY_LENGTH + " visible ASCII characters");
        }
        return value;
    }

    /** The request as read, written back: the same order with other spacing or field order is the same request. */
    private byte[] canonical(PlaceOrder request) {
        try {
            return json.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a validated request is always writable", e);
        }
    }

    private String serialized(OrderView view) {
        try {
            return json.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an order view is always writable", e);
        }
    }

    private static OrderStatus parseStatus(String status) {
        try {
            return OrderStatus.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED,
                    "status must be one of " + java.util.Arrays.toString(OrderStatus.values()) + ", was " + status);
        }
    }
}
