/**
 * Fallbacks: a degraded but honest answer when a downstream fails technically, such as a cached last-known-good read
 * with a time to live. Business undo (compensation) is not here; it belongs to the saga.
 */
package org.acme.resilience.fallback;
