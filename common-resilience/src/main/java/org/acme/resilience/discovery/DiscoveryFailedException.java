package org.acme.resilience.discovery;

/**
 * Discovery could not say where a service is: Consul did not answer in time, refused our token, or hid the instances
 * from it; and no recent answer could stand in. A technical failure for the caller's guard.
 */
public class DiscoveryFailedException extends RuntimeException {

    DiscoveryFailedException(String service, String reason) {
        super("Discovery of " + service + " failed: " + reason);
    }

    DiscoveryFailedException(String service, String reason, Throwable cause) {
        super("Discovery of " + service + " failed: " + reason, cause);
    }
}
