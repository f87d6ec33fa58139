/**
 * Guard building: one SmallRye Fault Tolerance guard per downstream (retry, circuit breaker, timeout, bulkhead) built
 * from its policy; the only path an outbound call takes.
 */
package org.acme.resilience.guard;
