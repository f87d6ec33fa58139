/**
 * Error classification: which failures of a downstream call are technical (count toward the circuit, retried) and
 * which are business outcomes or local rejections (never counted, never retried).
 */
package org.acme.resilience.classify;
