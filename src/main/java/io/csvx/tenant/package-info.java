/// Tenants: applications, each a customer whose endpoints, messages, files and sources are its
/// own. [io.csvx.tenant.TenantService] owns creating, changing and deleting them (the cascade of
/// a delete starts here; its `Remover` then removes a deleted application's rows in the
/// background, in batches) and the short-lived lookup cache of the publish path. Holds the
/// `Application` record and its `AppStore`. Uses `store` and `endpoint`; what else a delete
/// removes registers with [io.csvx.tenant.TenantService#onDelete].
package io.csvx.tenant;
