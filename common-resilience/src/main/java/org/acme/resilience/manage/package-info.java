/**
 * Management calls: watching and steering every instance of another service (its circuits, its fault injection)
 * through discovery, under a timeout and bulkhead of their own, apart from the business calls' circuit breakers.
 */
package org.acme.resilience.manage;
