package io.csvx.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.message.Events;
import java.time.Instant;

/// A saved pipeline of an application.
///
/// @param definition      `{"steps": […], "output": {…}}`, already checked by the pipeline parser; not
///                        changed after (a job keeps the text of the definition it runs)
/// @param triggerEvent    what runs the pipeline by itself: [#FILE_UPLOADED], [#JOB_COMPLETED], or null for nothing
/// @param triggerGlob     for `file.uploaded`, the file names it runs on; for `job.completed`, the
///                        output names (null: all)
/// @param triggerPipeline for `job.completed`, the pipeline whose jobs' outputs it runs on
public record PipelineDefinition(String id, String appId, String uid, String name, ObjectNode definition,
                                 String triggerEvent,
                                 Glob triggerGlob, String triggerPipeline, Instant createdAt, Instant updatedAt) {
    public static final String FILE_UPLOADED = Events.FILE_UPLOADED;
    public static final String JOB_COMPLETED = Events.JOB_COMPLETED;
}
