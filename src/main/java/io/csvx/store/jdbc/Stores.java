package io.csvx.store.jdbc;

import io.csvx.dataset.DatasetStore;
import io.csvx.delivery.AttemptStore;
import io.csvx.delivery.DeliveryQueue;
import io.csvx.delivery.ReadingStore;
import io.csvx.delivery.TaskStore;
import io.csvx.endpoint.EndpointStore;
import io.csvx.file.BlobStore;
import io.csvx.file.FileStore;
import io.csvx.http.IdempotencyStore;
import io.csvx.job.JobStore;
import io.csvx.job.PipelineStore;
import io.csvx.message.EventTypeStore;
import io.csvx.message.MessageStore;
import io.csvx.source.SourceStore;
import io.csvx.store.Db;
import io.csvx.tenant.AppStore;
import io.csvx.tenant.AppTokenStore;

/// Every store of one backend, over one [Db].
public record Stores(Db db, AppStore apps, EndpointStore endpoints, EventTypeStore eventTypes,
                     MessageStore messages, DeliveryQueue queue, AttemptStore attempts,
                     IdempotencyStore idempotency, FileStore files,
                     PipelineStore pipelines, JobStore jobs, SourceStore sources,
                     BlobStore blobs, AppTokenStore appTokens, TaskStore tasks, ReadingStore readings,
                     DatasetStore datasets)
        implements AutoCloseable {
    @Override
    public void close() {
        db.close();
    }
}
