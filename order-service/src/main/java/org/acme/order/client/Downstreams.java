package org.acme.order.client;

/**
 * The services order-service calls. Each name is at once the Stork service name, the REST client's config key, the
 * circuit-breaker and guard name, the {@code resilience.downstream."<name>"} configuration key and the metric tag.
 */
public final class Downstreams {

    public static final String USER_SERVICE = "user-service";
    public static final String PAYMENT_SERVICE = "payment-service";

    private Downstreams() {
    }
}
