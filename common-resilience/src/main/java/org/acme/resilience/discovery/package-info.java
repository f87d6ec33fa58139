/**
 * Service discovery: self-registration in Consul that never blocks startup, and the configuration switch between
 * Consul and static addresses that the REST clients' Stork discovery follows.
 */
package org.acme.resilience.discovery;
