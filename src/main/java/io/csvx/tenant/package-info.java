/// Tenants: applications, each a customer whose endpoints, messages, files and sources are its
/// own. [io.csvx.tenant.TenantService] owns creating, changing and deleting them (the cascade of
/// a delete lives here) and the short-lived lookup cache of the publish path.
/// Uses `store` (the application records and store), `endpoint` and `file`.
package io.csvx.tenant;
