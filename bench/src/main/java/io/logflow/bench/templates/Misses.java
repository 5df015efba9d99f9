package io.logflow.bench.templates;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** For tuning by principle, not by set: which true events were split and which predicted groups mixed events. */
final class Misses {
    private Misses() {}

    static void print(LabelledSet set, List<String> ids) {
        Map<String, TreeSet<String>> idsOfEvent = new LinkedHashMap<>();
        Map<String, TreeSet<String>> eventsOfId = new LinkedHashMap<>();
        Map<String, String> sample = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            idsOfEvent.computeIfAbsent(set.events().get(i), e -> new TreeSet<>()).add(ids.get(i));
            eventsOfId.computeIfAbsent(ids.get(i), e -> new TreeSet<>()).add(set.events().get(i));
            sample.putIfAbsent(set.events().get(i) + "|" + ids.get(i), set.messages().get(i));
        }
        Map<String, Integer> lines = new java.util.HashMap<>();
        set.events().forEach(e -> lines.merge(e, 1, Integer::sum));
        idsOfEvent.entrySet().stream().sorted((a, b) -> lines.get(b.getKey()) - lines.get(a.getKey())).forEach(en -> {
            String event = en.getKey();
            TreeSet<String> split = en.getValue();
            if (split.size() > 1) {
                System.out.println("SPLIT " + event + " (" + lines.get(event) + " lines) into " + split.size());
                split.stream().limit(4).forEach(id -> System.out.println("    " + sample.get(event + "|" + id)));
            }
        });
        eventsOfId.forEach((id, mixed) -> {
            if (mixed.size() > 1) {
                System.out.println("MERGED " + mixed);
                mixed.stream().limit(4).forEach(e -> System.out.println("    " + sample.get(e + "|" + id)));
            }
        });
    }
}
