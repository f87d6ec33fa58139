/**
 * Per-downstream resilience policies read from configuration: shared defaults, per-service overrides, and the
 * validation that fails startup with the offending key.
 */
package org.acme.resilience.policy;
