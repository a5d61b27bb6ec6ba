package io.csvx.http;

import io.csvx.config.Config;
import io.csvx.dataset.DatasetService;
import io.csvx.delivery.BackgroundTasks;
import io.csvx.delivery.DeliveryService;
import io.csvx.endpoint.EndpointService;
import io.csvx.file.FileService;
import io.csvx.job.JobService;
import io.csvx.job.PipelineService;
import io.csvx.message.EventTypeService;
import io.csvx.message.MessageService;
import io.csvx.operational.OperationalWebhooks;
import io.csvx.source.IngestService;
import io.csvx.source.SourceService;
import io.csvx.store.Ids;
import io.csvx.tenant.AccessService;
import io.csvx.tenant.TenantService;
import java.util.function.BooleanSupplier;

/// The feature services the API's handlers call, built once in [io.csvx.node.App]. The handlers
/// read requests, call these, and write answers; the rules live in the services.
///
/// @param idempotency     the API's own record of answered requests, replayed by idempotency key
/// @param databaseAnswers whether this node reaches its database now, for health checks
public record Services(Config config, Ids ids, TenantService tenants, AccessService access, EndpointService endpoints,
                       EventTypeService eventTypes, MessageService messages, DeliveryService deliveries,
                       BackgroundTasks tasks,
                       FileService files, PipelineService pipelines, JobService jobs, SourceService sources,
                       IngestService ingest, DatasetService datasets, OperationalWebhooks operational, IdempotencyStore idempotency,
                       BooleanSupplier databaseAnswers) {
}
