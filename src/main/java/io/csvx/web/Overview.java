package io.csvx.web;

import io.csvx.delivery.QueueGauges.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/// The overview's figures, from this node's readings of the last hour: what it holds now, its
/// rates over the last minute, and the hour as lines of an SVG chart (drawn on the server, so
/// the page needs no chart script and shows under a strict CSP).
///
/// @param delivered points of the delivered-per-second line, "x,y x,y …" in a 600 x 120 box
record Overview(int inFlight, long due, long oldestAgeSeconds, String deliveredPerSecond, String retriedPerSecond,
                String deadPerSecond, long deliveredTotal, long retriedTotal, long deadTotal, String delivered,
                String retried, String dead, String peak, boolean empty) {

    static final int WIDTH = 600;
    static final int HEIGHT = 120;

    static Overview of(List<Sample> history, Instant now) {
        if (history.isEmpty()) {
            return new Overview(0, 0, 0, "0", "0", "0", 0, 0, 0, "", "", "", "0", true);
        }
        Sample last = history.getLast();
        Sample minuteAgo = history.getFirst();
        for (Sample s : history) {
            if (!s.at().isBefore(last.at().minusSeconds(60))) {
                minuteAgo = s;
                break;
            }
        }
        double span = Math.max(1, Duration.between(minuteAgo.at(), last.at()).toMillis() / 1000.0);
        List<double[]> rates = new ArrayList<>(); // at (seconds before now), delivered, retried, dead
        double peak = 1;
        for (int i = 1; i < history.size(); i++) {
            Sample a = history.get(i - 1);
            Sample b = history.get(i);
            double secs = Math.max(0.001, Duration.between(a.at(), b.at()).toMillis() / 1000.0);
            double[] r = {Duration.between(b.at(), now).toMillis() / 1000.0, (b.delivered() - a.delivered()) / secs,
                (b.retried() - a.retried()) / secs, (b.dead() - a.dead()) / secs};
            peak = Math.max(peak, Math.max(r[1], Math.max(r[2], r[3])));
            rates.add(r);
        }
        return new Overview(last.inFlight(), last.due(), last.oldestAgeMillis() / 1000,
                rate(last.delivered() - minuteAgo.delivered(), span), rate(last.retried() - minuteAgo.retried(), span),
                rate(last.dead() - minuteAgo.dead(), span), (long) last.delivered(), (long) last.retried(),
                (long) last.dead(), line(rates, 1, peak), line(rates, 2, peak), line(rates, 3, peak),
                String.format(Locale.ROOT, "%.0f", peak), rates.isEmpty());
    }

    private static String rate(double count, double seconds) {
        return String.format(Locale.ROOT, "%.1f", Math.max(0, count) / seconds);
    }

    /// The points of one series: x from an hour ago (0) to now (600), y from 0 (120) to the peak (0).
    private static String line(List<double[]> rates, int series, double peak) {
        StringBuilder points = new StringBuilder();
        for (double[] r : rates) {
            double x = WIDTH * (1 - Math.min(3600, r[0]) / 3600);
            double y = HEIGHT - HEIGHT * Math.max(0, r[series]) / peak;
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        return points.toString().strip();
    }
}
