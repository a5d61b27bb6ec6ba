package io.csvx.pipeline;

/// An invalid pipeline definition; the message names the step and the field at fault.
public final class PipelineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PipelineException(String message) {
        super(message);
    }
}
