package io.csvx.store.jdbc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/// Which due rows a claim takes, in turns between endpoints: every endpoint's first, then every
/// endpoint's second, and so on, at most `perEndpoint` of one. Within a turn the endpoints the
/// sweep visited go first, in the sweep's order (so one whose work is newer than another's whole
/// backlog still gets its turn), then the others' rows oldest first.
final class ClaimTurns {
    /// A due delivery: its message, endpoint and due time (epoch millis).
    record Row(String msgId, String endpointId, long due) {
    }

    private ClaimTurns() {
    }

    static List<Row> pick(List<Row> swept, List<Row> oldest, int limit, int perEndpoint) {
        Map<String, List<Row>> byEndpoint = new LinkedHashMap<>();
        Map<String, Integer> sweepOrder = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (Row r : swept) {
            sweepOrder.putIfAbsent(r.endpointId(), sweepOrder.size());
        }
        for (List<Row> rows : List.of(swept, oldest)) {
            for (Row r : rows) {
                if (seen.add(r.endpointId() + "\n" + r.msgId())) {
                    byEndpoint.computeIfAbsent(r.endpointId(), k -> new ArrayList<>()).add(r);
                }
            }
        }
        Comparator<Row> byAge = Comparator.comparingLong(Row::due).thenComparing(Row::msgId);
        byEndpoint.values().forEach(rows -> rows.sort(byAge));
        Comparator<Row> inTurn = Comparator.<Row>comparingInt(r -> sweepOrder.getOrDefault(r.endpointId(),
                Integer.MAX_VALUE)).thenComparing(byAge);
        List<Row> picked = new ArrayList<>(limit);
        for (int turn = 0; turn < perEndpoint && picked.size() < limit; turn++) {
            List<Row> round = new ArrayList<>();
            for (List<Row> rows : byEndpoint.values()) {
                if (turn < rows.size()) {
                    round.add(rows.get(turn));
                }
            }
            if (round.isEmpty()) {
                break;
            }
            round.sort(inTurn);
            picked.addAll(round.subList(0, Math.min(round.size(), limit - picked.size())));
        }
        return picked;
    }
}
