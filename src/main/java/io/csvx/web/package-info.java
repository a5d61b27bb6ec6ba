/// The browser pages: the operator console (`/`, signed in with the admin token) and each
/// application's portal (`/portal/{app_id}`, opened by the magic link of an app portal token),
/// server-rendered from JTE templates (`src/main/jte`, precompiled by Maven) with htmx, every
/// asset shipped in the jar. [io.csvx.web.Pages] registers the routes; the handlers call the
/// feature services the API calls, under the same capabilities ([io.csvx.tenant.AppToken]).
/// Uses the feature services and records, `tenant` for sessions, `config`; never a store.
package io.csvx.web;
