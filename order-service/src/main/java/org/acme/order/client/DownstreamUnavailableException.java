package org.acme.order.client;

import org.acme.resilience.classify.FailureClassifier;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/** A downstream could not give an answer: it failed technically, timed out, or its circuit is open. */
public class DownstreamUnavailableException extends RuntimeException {

    private final String downstream;

    public DownstreamUnavailableException(String downstream, Throwable cause) {
        super(downstream + " " + describe(cause), cause);
        this.downstream = downstream;
    }

    public String downstream() {
        return downstream;
    }

    /** A short, log- and user-safe description of why the call failed. */
    static String describe(Throwable failure) {
        if (failure instanceof CircuitBreakerOpenException) {
            return "unavailable: circuit open";
        }
        if (failure instanceof BulkheadException) {
            return "busy: too many concurrent calls";
        }
        if (failure instanceof TimeoutException) {
            return "timed out";
        }
        int status = FailureClassifier.clientErrorStatus(failure);
        if (status > 0) {
            return "rejected the request with " + status;
        }
        if (failure instanceof jakarta.ws.rs.WebApplicationException wae) {
            return "failed with " + wae.getResponse().getStatus();
        }
        if (failure instanceof io.smallrye.stork.api.NoServiceInstanceFoundException) {
            return "unreachable: no instance available";
        }
        if (failure instanceof java.net.ConnectException) {
            return "unreachable: connection refused";
        }
        return "unreachable: " + failure.getClass().getSimpleName();
    }
}
