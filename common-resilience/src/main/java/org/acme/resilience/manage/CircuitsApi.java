package org.acme.resilience.manage;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/** {@code GET /resilience/circuits} of another service built on common-resilience, read through {@link ManagementCalls}. */
public interface CircuitsApi {

    /** The circuits as that service reports them (see {@code CircuitView}), passed on as they are. */
    @GET
    @Path("/resilience/circuits")
    Uni<List<JsonNode>> circuits();
}
