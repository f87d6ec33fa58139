/**
 * Who may call a service's API: the shared service token between the services of this system. Demo-grade (one shared
 * secret); mutual TLS is the production path. Operator endpoints use the admin token ({@code observe.AdminToken}).
 */
package org.acme.resilience.auth;
