package io.logflow.bench.templates;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Grouping accuracy (Zhu et al., ICSE-SEIP 2019): a line is right when the lines sharing its predicted id are exactly
 * the lines sharing its true event. A predicted group is right as a whole or not at all: it must hold one event only,
 * and all of that event's lines.
 */
final class GroupingAccuracy {
    private GroupingAccuracy() {}

    static double of(List<String> predicted, List<String> truth) {
        Map<String, Integer> eventSize = new HashMap<>();
        for (String e : truth) {
            eventSize.merge(e, 1, Integer::sum);
        }
        Map<String, String> eventOfGroup = new HashMap<>();
        Map<String, Integer> groupSize = new HashMap<>();
        Map<String, Boolean> pure = new HashMap<>();
        for (int i = 0; i < predicted.size(); i++) {
            String p = predicted.get(i);
            String e = truth.get(i);
            groupSize.merge(p, 1, Integer::sum);
            String first = eventOfGroup.putIfAbsent(p, e);
            if (first != null && !first.equals(e)) {
                pure.put(p, false);
            }
        }
        long correct = 0;
        for (Map.Entry<String, Integer> g : groupSize.entrySet()) {
            String p = g.getKey();
            if (pure.getOrDefault(p, true) && eventSize.get(eventOfGroup.get(p)).equals(g.getValue())) {
                correct += g.getValue();
            }
        }
        return (double) correct / predicted.size();
    }
}
