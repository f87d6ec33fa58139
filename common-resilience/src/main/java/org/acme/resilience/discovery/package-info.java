/**
 * Service discovery: self-registration in Consul that never blocks startup, Stork's {@code consul} lookups of our own
 * (with the ACL token, a timeout and a bounded cache; ADR 0007), the startup checks of the token and the advertised
 * address, and the configuration switch between Consul and static addresses that the REST clients follow.
 */
package org.acme.resilience.discovery;
