/** The one error format: RFC 9457 problem details, and the mappers that produce them for every failure. */
package org.acme.resilience.problem;
