/** The service's database schema: migrated and validated at the start, or once the database can be reached. */
package org.acme.resilience.schema;
