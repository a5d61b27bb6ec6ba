package io.csvx.http;

import io.csvx.config.Config;
import io.csvx.delivery.Dispatcher;
import io.csvx.delivery.EndpointDirectory;
import io.csvx.delivery.Publisher;
import io.csvx.file.FileService;
import io.csvx.job.JobService;
import io.csvx.source.IngestService;
import io.csvx.store.Ids;
import io.csvx.store.Stores;
import java.security.SecureRandom;

/// What the API's handlers work with; built once in [io.csvx.node.App].
public record Services(Config config, Stores stores, Ids ids, Publisher publisher, Dispatcher dispatcher,
                       EndpointDirectory endpoints, FileService files, JobService jobs,
                       IngestService ingest, SecureRandom random) {
}
