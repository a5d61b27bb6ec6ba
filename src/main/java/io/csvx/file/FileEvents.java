package io.csvx.file;

import io.csvx.message.EventTypeService;
import io.csvx.message.Events;

/// The event types file uploads publish, registered with their JSON schemas so that receivers
/// (and the event type API) can see what a `file.uploaded` message holds.
public final class FileEvents {
    static final String FILE_UPLOADED_SCHEMA = """
            {"1": {"title": "file.uploaded", "type": "object", "required": ["type", "timestamp", "data"],
              "properties": {
                "type": {"const": "file.uploaded"},
                "timestamp": {"type": "string", "format": "date-time"},
                "data": {"type": "object", "required": ["file"], "properties": {
                  "file": {"type": "object",
                    "required": ["id", "name", "size", "sha256", "rows", "columns", "delimiter", "encoding", "createdAt"],
                    "properties": {
                      "id": {"type": "string", "pattern": "^file_"},
                      "name": {"type": "string"},
                      "size": {"type": "integer", "minimum": 0},
                      "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                      "rows": {"type": "integer", "minimum": 0},
                      "columns": {"type": "array", "items": {"type": "string"}},
                      "delimiter": {"type": "string"},
                      "encoding": {"type": "string"},
                      "format": {"type": "string"},
                      "role": {"enum": ["upload", "output", "rejects"]},
                      "jobId": {"type": ["string", "null"]},
                      "createdAt": {"type": "string", "format": "date-time"}}}}}}}}""";

    private FileEvents() {
    }

    /// Registers `file.uploaded` unless it exists.
    public static void register(EventTypeService types) {
        types.registerIfAbsent(Events.FILE_UPLOADED, "A CSV file was uploaded to the application.", FILE_UPLOADED_SCHEMA);
    }
}
