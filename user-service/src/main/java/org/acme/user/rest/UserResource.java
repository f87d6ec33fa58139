package org.acme.user.rest;

import java.net.URI;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;

import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;

import org.acme.resilience.observe.AdminToken;
import org.acme.resilience.outbox.Outbox;
import org.acme.resilience.problem.ProblemException;
import org.acme.resilience.problem.ProblemType;
import org.acme.user.User;
import org.acme.user.UserEvents;
import org.acme.user.UserStatus;

import io.quarkus.panache.common.Sort;

@Path("/users")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {

    private final Outbox outbox;
    private final AdminToken admin;
    private final Clock clock;

    public UserResource(Outbox outbox, AdminToken admin, Clock clock) {
        this.outbox = outbox;
        this.admin = admin;
        this.clock = clock;
    }

    @GET
    public List<UserView> list() {
        return User.<User> listAll(Sort.by("id")).stream().map(UserView::of).toList();
    }

    @GET
    @Path("/{id}")
    public UserView get(@PathParam("id") long id) {
        User user = User.findById(id);
        if (user == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "no user with id " + id);
        }
        return UserView.of(user);
    }

    @POST
    @Transactional
    public Response register(@NotNull @Valid NewUser request, @Context UriInfo uri) {
        if (User.emailTaken(request.email())) {
            throw new ProblemException(ProblemType.CONFLICT, "a user with email " + request.email() + " exists");
        }
        User user = new User();
        user.name = request.name();
        user.email = request.email();
        user.status = UserStatus.ACTIVE;
        user.createdAt = OffsetDateTime.now(clock);
        user.persist();
        outbox.append(UserEvents.REGISTERED, String.valueOf(user.id),
                new UserEvents.UserRegistered(user.id, user.name, user.email, user.status));
        URI location = uri.getAbsolutePathBuilder().path(String.valueOf(user.id)).build();
        return Response.created(location).entity(UserView.of(user)).build();
    }

    /**
     * Blocks or unblocks a user (operator action, behind the admin token). A change increments the user's status
     * version and announces {@code user.status-changed} in the same transaction; setting the status the user already
     * has changes nothing and announces nothing.
     */
    @PUT
    @Path("/{id}/status")
    @Transactional
    public UserView changeStatus(@HeaderParam(AdminToken.HEADER) String token, @PathParam("id") long id,
            @NotNull @Valid StatusChange request) {
        admin.check(token);
        User user = User.findById(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (user == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "no user with id " + id);
        }
        if (user.status != request.status()) {
            user.status = request.status();
            user.statusVersion++;
            outbox.append(UserEvents.STATUS_CHANGED, String.valueOf(user.id),
                    new UserEvents.UserStatusChanged(user.id, user.status, user.statusVersion));
        }
        return UserView.of(user);
    }
}
