package org.acme.resilience.discovery;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The address this instance registers in Consul must be one the other services can call. */
final class AdvertisedAddress {

    static final String SETTING = "discovery.consul.service-address (DISCOVERY_CONSUL_SERVICE_ADDRESS)";

    private AdvertisedAddress() {
    }

    /** {@code address} if others can reach it; otherwise fails, naming the setting, rather than register it. */
    static String validated(String address) {
        if (address == null || address.isBlank()) {
            throw unusable("is empty");
        }
        InetAddress resolved;
        try {
            resolved = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw unusable("'" + address + "' does not resolve");
        }
        if (resolved.isAnyLocalAddress()) {
            throw unusable("'" + address + "' is a wildcard address, which no other service can call");
        }
        return address;
    }

    private static IllegalStateException unusable(String why) {
        return new IllegalStateException("Cannot register in Consul: " + SETTING + " " + why
                + "; set it to the address the other services reach this one on");
    }
}
