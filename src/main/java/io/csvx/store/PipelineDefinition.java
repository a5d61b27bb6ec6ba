package io.csvx.store;

import java.time.Instant;

/// A saved pipeline of an application.
///
/// @param definition  `{"steps": […], "output": {…}}` as JSON text, already checked by the pipeline parser
/// @param triggerGlob runs the pipeline on every `file.uploaded` whose file name matches; null for none
public record PipelineDefinition(String id, String appId, String uid, String name, String definition, String triggerGlob,
                                 Instant createdAt, Instant updatedAt) {
}
