package io.csvx.web;

import io.csvx.delivery.QueueGauges;
import io.csvx.delivery.QueueGauges.Reading;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/// The overview's figures, from every node's readings of the last hour: the rates of the last
/// minute, what is in flight and due now, and the hour as SVG charts (drawn on the server, so the
/// page needs no chart script and shows under a strict CSP).
///
/// @param nodes the nodes that read in the last 15 seconds
record Overview(String deliveredPerSecond, String retriedPerSecond, String deadPerSecond, String latencyMillis,
                int inFlight, long due, long oldestAgeSeconds, int jobsRunning, List<NodeView> nodes,
                List<Chart> charts, boolean empty) {

    /// A node as the overview lists it.
    record NodeView(String node, Instant lastSeen, int inFlight, int jobsRunning, long delivered) {
    }

    /// One line of a chart: points "x,y x,y …" in a [#WIDTH] x [#HEIGHT] box.
    record Line(String label, String colour, String points) {
    }

    /// A chart of the last hour; `peak` is the value at its top.
    record Chart(String id, String title, String unit, String peak, List<Line> lines) {
    }

    static final int WIDTH = 600;
    static final int HEIGHT = 120;
    /// The charts' resolution: 120 buckets of 30 seconds over the hour.
    static final int BUCKET_SECONDS = 30;
    private static final int BUCKETS = (int) (QueueGauges.KEPT.toSeconds() / BUCKET_SECONDS);

    static Overview of(List<Reading> readings, Instant now) {
        Map<String, List<Reading>> byNode = new LinkedHashMap<>();
        for (Reading r : readings) {
            byNode.computeIfAbsent(r.node(), n -> new ArrayList<>()).add(r);
        }
        double[] delivered = new double[BUCKETS];
        double[] retried = new double[BUCKETS];
        double[] dead = new double[BUCKETS];
        double[] attempts = new double[BUCKETS];
        double[] latency = new double[BUCKETS];
        double[] due = new double[BUCKETS];
        Instant minuteAgo = now.minusSeconds(60);
        long[] lastMinute = new long[5]; // delivered, retried, dead, attempts, latency µs
        List<NodeView> nodes = new ArrayList<>();
        Reading latest = null;
        Instant hourAgo = now.minus(QueueGauges.KEPT);
        for (List<Reading> rs : byNode.values()) {
            for (int i = 0; i < rs.size(); i++) {
                Reading b = rs.get(i);
                int at = bucket(b.at(), hourAgo);
                if (at >= 0) {
                    due[at] = Math.max(due[at], b.due());
                }
                if (i == 0) {
                    continue;
                }
                Reading a = rs.get(i - 1);
                long[] d = {b.delivered() - a.delivered(), b.retried() - a.retried(), b.dead() - a.dead(),
                    b.attempts() - a.attempts(), b.latencyMicros() - a.latencyMicros()};
                if (at >= 0) {
                    delivered[at] += Math.max(0, d[0]);
                    retried[at] += Math.max(0, d[1]);
                    dead[at] += Math.max(0, d[2]);
                    attempts[at] += Math.max(0, d[3]);
                    latency[at] += Math.max(0, d[4]);
                }
                if (!b.at().isBefore(minuteAgo)) {
                    for (int k = 0; k < d.length; k++) {
                        lastMinute[k] += Math.max(0, d[k]);
                    }
                }
            }
            Reading last = rs.getLast();
            if (latest == null || last.at().isAfter(latest.at())) {
                latest = last;
            }
            if (Duration.between(last.at(), now).compareTo(QueueGauges.EVERY.multipliedBy(3)) <= 0) {
                nodes.add(new NodeView(last.node(), last.at(), last.inFlight(), last.jobsRunning(), last.delivered()));
            }
        }
        double[] meanLatency = new double[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            meanLatency[i] = attempts[i] == 0 ? Double.NaN : latency[i] / attempts[i] / 1000.0;
            delivered[i] /= BUCKET_SECONDS;
            retried[i] /= BUCKET_SECONDS;
            dead[i] /= BUCKET_SECONDS;
        }
        double ratePeak = Math.max(1, Math.max(peak(delivered), Math.max(peak(retried), peak(dead))));
        double latencyPeak = Math.max(1, peak(meanLatency));
        double duePeak = Math.max(1, peak(due));
        List<Chart> charts = List.of(
                new Chart("rates", "Deliveries per second", "per second", number(ratePeak), List.of(
                        new Line("delivered (green)", "#146c2e", line(delivered, ratePeak)),
                        new Line("retrying (orange)", "#b35900", line(retried, ratePeak)),
                        new Line("failed for good (red)", "#a50e0e", line(dead, ratePeak)))),
                new Chart("latency", "Mean attempt latency", "ms", number(latencyPeak), List.of(
                        new Line("latency", "#0b57d0", line(meanLatency, latencyPeak)))),
                new Chart("due", "Due and waiting", "deliveries", number(duePeak), List.of(
                        new Line("due", "#5b3e96", line(due, duePeak)))));
        int inFlight = nodes.stream().mapToInt(NodeView::inFlight).sum();
        int jobs = nodes.stream().mapToInt(NodeView::jobsRunning).sum();
        return new Overview(rate(lastMinute[0]), rate(lastMinute[1]), rate(lastMinute[2]),
                lastMinute[3] == 0 ? "–" : String.format(Locale.ROOT, "%.1f", lastMinute[4] / 1000.0 / lastMinute[3]),
                inFlight, latest == null ? 0 : latest.due(), latest == null ? 0 : latest.oldestAgeMillis() / 1000,
                jobs, nodes, charts, readings.size() < 2);
    }

    private static int bucket(Instant at, Instant hourAgo) {
        long seconds = Duration.between(hourAgo, at).toSeconds();
        return seconds < 0 ? -1 : (int) Math.min(BUCKETS - 1, seconds / BUCKET_SECONDS);
    }

    private static double peak(double[] values) {
        double peak = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                peak = Math.max(peak, v);
            }
        }
        return peak;
    }

    private static String rate(long perMinute) {
        return String.format(Locale.ROOT, "%.1f", perMinute / 60.0);
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, v >= 10 ? "%.0f" : "%.1f", v);
    }

    /// The points of one series: x from an hour ago (0) to now, y from 0 (the bottom) to the peak
    /// (the top); a bucket without a value (no attempt, for the latency) is left out.
    private static String line(double[] values, double peak) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                continue;
            }
            double x = WIDTH * (i + 1) / (double) values.length;
            double y = HEIGHT - HEIGHT * Math.max(0, values[i]) / peak;
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        return points.toString().strip();
    }
}
