package org.acme.order.client;

import org.acme.resilience.classify.FailureClassifier;

/** A downstream could not give an answer: it failed technically, timed out, or its circuit is open. */
public class DownstreamUnavailableException extends RuntimeException {

    private final String downstream;

    public DownstreamUnavailableException(String downstream, Throwable cause) {
        super(downstream + " " + FailureClassifier.describe(cause), cause);
        this.downstream = downstream;
    }

    public String downstream() {
        return downstream;
    }
}
