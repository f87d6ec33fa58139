package org.acme.order.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/** user-service's API as order-service uses it. Only {@link UserClient} calls it, through the guard. */
@Path("/users")
@RegisterRestClient(configKey = Downstreams.USER_SERVICE)
interface UserRestClient {

    @GET
    @Path("/{id}")
    Uni<RemoteUser> get(@PathParam("id") long id);
}
