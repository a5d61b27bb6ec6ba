/// Datasets: files that are versions of one another, compared by key as each version arrives.
/// [io.csvx.dataset.DatasetService] keeps datasets and the rules of their `match` and `notify`,
/// makes an arriving file the next version (it is the jobs' [io.csvx.job.NewVersions]), records
/// each diff in the dataset's history and publishes `dataset.changed` when its rule fires. The
/// diffs themselves run as jobs. Uses `job` (globs, diff specs), `file`, `csv` (the summary),
/// `pipeline` (conditions), `store` and `message` (to publish).
package io.csvx.dataset;
