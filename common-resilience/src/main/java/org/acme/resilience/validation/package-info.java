/** Input constraints shared by the services' REST edges. */
package org.acme.resilience.validation;
