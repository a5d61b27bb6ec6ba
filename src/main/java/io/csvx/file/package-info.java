/// Uploaded files: streaming an upload to disk with its size and SHA-256, describing it with the
/// CSV reader, keeping its description, and announcing it as a `file.uploaded` message.
/// Uses `csv`, `store` and `delivery` (to publish); knows nothing of HTTP.
package io.csvx.file;
