package io.csvx.job;

import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.util.List;
import java.util.Optional;

/// Saved pipelines.
public interface PipelineStore {
    /// Conflict when the uid is taken in the application.
    PipelineDefinition create(PipelineDefinition p);

    Optional<PipelineDefinition> find(String appId, String idOrUid);

    Page<PipelineDefinition> list(String appId, PageRequest page);

    /// Conflict when the new uid is taken.
    PipelineDefinition update(PipelineDefinition p);

    boolean delete(String appId, String id);

    /// The application's pipelines that have a trigger, of either kind.
    List<PipelineDefinition> triggered(String appId);
}
