package io.csvx.cli;

import java.io.PrintWriter;
import java.util.Locale;

/// A one-line progress bar on a terminal, redrawn in place; on anything else only the final line.
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintWriter out;
    private final boolean live;
    private final String label;
    private long lastDraw;

    ProgressBar(PrintWriter out, boolean live, String label) {
        this.out = out;
        this.live = live;
        this.label = label;
    }

    /// Redraws at most ten times a second.
    void update(long done, long total, String detail) {
        long now = System.nanoTime();
        if (live && now - lastDraw > 100_000_000L) {
            lastDraw = now;
            out.print("\r" + line(done, total, detail));
            out.flush();
        }
    }

    void finish(long done, long total, String detail) {
        out.println((live ? "\r" : "") + line(done, total, detail));
    }

    private String line(long done, long total, String detail) {
        double f = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(f * WIDTH);
        return String.format(Locale.ROOT, "%-10s [%s%s] %3d%%  %s", label, "#".repeat(filled), " ".repeat(WIDTH - filled),
                Math.round(f * 100), detail);
    }

    static String bytes(long n) {
        return n < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KB", n / 1024.0)
                : String.format(Locale.ROOT, "%.1f MB", n / (1024.0 * 1024));
    }
}
