/// Jobs: running a saved pipeline over a stored file in the background, with a lease like a
/// delivery's, and announcing each step (`job.started`, `job.completed`, `job.failed`,
/// `job.cancelled`, `records.batch`) as messages. Uses `csv`, `pipeline`, `file`, `store` and
/// `delivery` (to publish); knows nothing of HTTP.
package io.csvx.job;
