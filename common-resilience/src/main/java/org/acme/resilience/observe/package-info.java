/**
 * Making circuits visible: counts per downstream, transitions as log lines, metrics and {@code resilience.circuit.*}
 * events, the {@code /resilience/circuits} endpoint and a health check that reports without failing readiness.
 */
package org.acme.resilience.observe;
