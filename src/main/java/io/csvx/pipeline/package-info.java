/// Pipelines: a JSON definition of ordered steps over CSV rows (select, drop, rename, filter,
/// trim, normalize, dedupe, validate) and the small expression language of `filter`.
/// Pure functions over rows: no HTTP, no store. Uses only Jackson's tree model to read definitions.
package io.csvx.pipeline;
