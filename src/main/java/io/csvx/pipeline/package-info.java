/// Pipelines: a JSON definition of ordered steps over CSV rows (select, drop, rename, filter,
/// trim, normalize, dedupe, validate, sort), the small expression language of `filter`, and the
/// external merge sort. Functions over rows: no HTTP, no store; sort spills to temporary files.
/// Uses Jackson's tree model to read definitions and FastCSV for sort runs.
package io.csvx.pipeline;
