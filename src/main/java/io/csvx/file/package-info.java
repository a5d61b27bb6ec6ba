/// Stored files: [io.csvx.file.FileService] is the sole owner of file paths and hashing. It streams
/// an upload to disk with its size and SHA-256, describes it with the CSV reader, keeps its
/// description, announces it as `file.uploaded`, and gives jobs their output directories.
/// Holds the `CsvFile` record, `FileStore` and `BlobStore`. Uses `csv`, `store` and `message` (to
/// publish); knows nothing of HTTP.
package io.csvx.file;
