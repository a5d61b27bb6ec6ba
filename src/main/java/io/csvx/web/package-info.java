/// The browser pages: the operator console (`/`, signed in with the admin token) and each
/// application's portal (`/portal/{app_id}`, opened by the magic link of an app portal token),
/// server-rendered from JTE templates (`src/main/jte`, precompiled by Maven) with htmx, every
/// asset shipped in the jar. [io.csvx.web.Pages] registers the routes; the handlers call the
/// feature services the API calls, under the same capabilities ([io.csvx.tenant.AppToken]).
/// Feature screens have classes of their own (`PipelinePages`, `DatasetPages`, `SourcePages`,
/// `EventTypePages`, `BrandingPages`) that add their routes and share `Pages`' rendering and scoping. Uses the
/// feature services and records, `tenant` for sessions and branding, `servlet` for multipart
/// forms; never a store, nothing of `http`.
package io.csvx.web;
