package io.csvx.servlet;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.eclipse.jetty.http.BadMessageException;

/// One part of a `multipart/form-data` request, spooled by Jetty under `spool` once larger than
/// 64 KiB, and refused past `limit` bytes. The caller deletes the part when done with it.
public final class Multipart {
    /// How reading the part ended.
    public sealed interface Read permits Got, Absent, TooLarge, Malformed {
    }

    /// The part: its stream, size and submitted file name.
    public record Got(Part part) implements Read {
    }

    /// The form has no part of that name.
    public record Absent() implements Read {
    }

    /// The part, or the whole form, is larger than the limit.
    public record TooLarge(long limit) implements Read {
    }

    /// Not a multipart form this server can read; `reason` says why, without exception names.
    public record Malformed(String reason) implements Read {
    }

    private Multipart() {
    }

    public static Read part(HttpServletRequest req, String name, Path spool, long limit) throws IOException {
        req.setAttribute("org.eclipse.jetty.multipartConfig",
                new MultipartConfigElement(spool.toString(), limit, limit + (1 << 20), 1 << 16));
        Part part;
        try {
            part = req.getPart(name);
        } catch (IllegalStateException | ServletException | BadMessageException e) {
            // Jetty wraps an over-large part in a 400 "bad multipart"; its cause says why
            Throwable root = e;
            for (Throwable t = e; t != null; t = t.getCause()) {
                String msg = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
                if (msg.contains("max") || msg.contains("size") || msg.contains("limit") || msg.contains("exceed")) {
                    return new TooLarge(limit);
                }
                root = t;
            }
            return new Malformed(root.getMessage() == null ? "malformed"
                    : root.getMessage().replaceAll("^[\\w.$]+(Exception|Error): ", ""));
        }
        return part == null ? new Absent() : new Got(part);
    }
}
