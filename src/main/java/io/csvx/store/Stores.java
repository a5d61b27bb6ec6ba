package io.csvx.store;

/// Every store of one backend, over one [Db].
public record Stores(Db db, AppStore apps, EndpointStore endpoints, EventTypeStore eventTypes,
                     MessageStore messages, DeliveryQueue queue, AttemptStore attempts,
                     IdempotencyStore idempotency, OperationalEvents operational, FileStore files,
                     PipelineStore pipelines, JobStore jobs, SourceStore sources,
                     BlobStore blobs)
        implements AutoCloseable {
    @Override
    public void close() {
        db.close();
    }
}
