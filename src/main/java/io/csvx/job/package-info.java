/// Jobs and saved pipelines: [io.csvx.job.PipelineService] keeps pipelines and the rules of their
/// triggers (globs, chains without loops); [io.csvx.job.JobService] starts jobs from uploads and
/// requests; every job, whatever started it, is queued by one package-private path that signals
/// the work. [io.csvx.job.JobRunner] runs them with a lease like a delivery's and announces each
/// step (`job.started`, `job.completed`, `job.failed`, `job.cancelled`, `records.batch`).
/// Holds the `Job` and `PipelineDefinition` records and their stores. Uses `csv`, `pipeline`,
/// `file`, `store`, `net` (fetches) and `message` (to publish).
package io.csvx.job;
