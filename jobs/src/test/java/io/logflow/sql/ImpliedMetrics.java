package io.logflow.sql;

import io.logflow.parse.template.TemplateMiner;
import io.logflow.sql.AnalystData.Line;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The rows of the {@code metrics_*} tables and {@code failed_requests} that {@link AnalystData} implies, worked out
 * in plain Java from the definitions in {@code sql/postgres/V5__metrics.sql}: the expectations of the queries and
 * panels that read those tables. A request is failed when one of its events is ERROR/FATAL ({@code error}), else
 * when none of them carries a duration, the mark of a completed request ({@code timeout}).
 */
final class ImpliedMetrics {
    private ImpliedMetrics() {}

    record Counts(Instant windowStart, Instant windowEnd, String workspace, String service, String level, long events,
            long bytes, long errors, long warnings) {}

    record Latency(Instant windowStart, Instant windowEnd, String workspace, String service, long events, double avg,
            double max, double p50, double p90, double p99) {}

    record Requests(Instant windowStart, Instant windowEnd, String workspace, String service, long requests,
            long failed, long timedOut) {}

    record Template(Instant windowStart, Instant windowEnd, String workspace, int rank, String template, long events,
            String sampleMessage) {}

    record FailedRequest(String workspace, String requestId, Instant startedAt, String service, String reason,
            String firstMessage, String errorMessage, int events, Double durationMs) {}

    static Instant minute(Instant t) {
        return t.truncatedTo(ChronoUnit.MINUTES);
    }

    static Instant hour(Instant t) {
        return t.truncatedTo(ChronoUnit.HOURS);
    }

    static Instant day(Instant t) {
        return t.truncatedTo(ChronoUnit.DAYS);
    }

    static Instant isoWeek(Instant t) {
        return t.atZone(ZoneOffset.UTC).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                .atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static List<Counts> perMinute() {
        return counts(ImpliedMetrics::minute, Duration.ofMinutes(1));
    }

    static List<Counts> perDay() {
        return counts(ImpliedMetrics::day, Duration.ofDays(1));
    }

    static List<Counts> perWeek() {
        return counts(ImpliedMetrics::isoWeek, Duration.ofDays(7));
    }

    private static List<Counts> counts(Function<Instant, Instant> window, Duration size) {
        Map<List<Object>, List<Line>> groups = group(AnalystData.LINES,
                l -> List.of(window.apply(l.time()), l.workspace(), l.service(), l.level()));
        List<Counts> out = new ArrayList<>();
        groups.forEach((k, lines) -> {
            Instant start = (Instant) k.get(0);
            out.add(new Counts(start, start.plus(size), (String) k.get(1), (String) k.get(2), (String) k.get(3),
                    lines.size(), lines.stream().mapToLong(Line::bytes).sum(),
                    lines.stream().filter(Line::isError).count(),
                    lines.stream().filter(l -> l.level().equals("WARN")).count()));
        });
        return out;
    }

    static List<Latency> latencyPerMinute() {
        Map<List<Object>, List<Line>> groups = group(AnalystData.where(l -> l.durationMs() != null),
                l -> List.of(minute(l.time()), l.workspace(), l.service()));
        List<Latency> out = new ArrayList<>();
        groups.forEach((k, lines) -> {
            List<Double> d = lines.stream().map(Line::durationMs).sorted().toList();
            Instant start = (Instant) k.get(0);
            out.add(new Latency(start, start.plusSeconds(60), (String) k.get(1), (String) k.get(2), d.size(),
                    d.stream().mapToDouble(x -> x).average().orElseThrow(), d.get(d.size() - 1),
                    percentile(d, 0.5), percentile(d, 0.9), percentile(d, 0.99)));
        });
        return out;
    }

    /** The "lower" nearest rank APPROX_PERCENTILE approximates: rank floor(p * (n - 1)) of the sorted values. */
    static double percentile(List<Double> sorted, double p) {
        return sorted.get((int) Math.floor(p * (sorted.size() - 1)));
    }

    static List<FailedRequest> failedRequests() {
        List<FailedRequest> out = new ArrayList<>();
        for (List<Line> request : AnalystData.requests()) {
            Line first = request.get(0);
            Line error = request.stream().filter(Line::isError).findFirst().orElse(null);
            Line completion = request.stream().filter(l -> l.durationMs() != null).findFirst().orElse(null);
            if (error != null || completion == null) {
                out.add(new FailedRequest(first.workspace(), first.requestId(), first.time(), first.service(),
                        error != null ? "error" : "timeout", first.message(), error == null ? null : error.message(),
                        request.size(), completion == null ? null : completion.durationMs()));
            }
        }
        return out;
    }

    static List<Requests> requestsPerMinute() {
        List<FailedRequest> failed = failedRequests();
        Map<List<Object>, List<List<Line>>> groups = new TreeMap<>(KEY_ORDER);
        for (List<Line> request : AnalystData.requests()) {
            Line first = request.get(0);
            groups.computeIfAbsent(List.of(minute(first.time()), first.workspace(), first.service()),
                    k -> new ArrayList<>()).add(request);
        }
        List<Requests> out = new ArrayList<>();
        groups.forEach((k, requests) -> {
            Instant start = (Instant) k.get(0);
            List<FailedRequest> f = failed.stream().filter(r -> minute(r.startedAt()).equals(start)
                    && r.workspace().equals(k.get(1)) && r.service().equals(k.get(2))).toList();
            out.add(new Requests(start, start.plusSeconds(60), (String) k.get(1), (String) k.get(2), requests.size(),
                    f.size(), f.stream().filter(r -> r.reason().equals("timeout")).count()));
        });
        return out;
    }

    /** Top 20 per hour and workspace; ties go to the template that sorts first; the sample is the smallest message. */
    static List<Template> templatesPerHour() {
        Map<List<Object>, List<Line>> hours = group(AnalystData.LINES, l -> List.of(hour(l.time()), l.workspace()));
        List<Template> out = new ArrayList<>();
        hours.forEach((k, lines) -> {
            Map<String, List<String>> byTemplate = lines.stream().collect(Collectors.groupingBy(
                    l -> template(l.workspace(), l.message()), TreeMap::new, Collectors.mapping(Line::message, Collectors.toList())));
            List<Map.Entry<String, List<String>>> ranked = new ArrayList<>(byTemplate.entrySet());
            ranked.sort(Comparator.<Map.Entry<String, List<String>>>comparingInt(e -> -e.getValue().size())
                    .thenComparing(Map.Entry::getKey));
            Instant start = (Instant) k.get(0);
            for (int i = 0; i < Math.min(20, ranked.size()); i++) {
                Map.Entry<String, List<String>> e = ranked.get(i);
                out.add(new Template(start, start.plusSeconds(3600), (String) k.get(1), i + 1, e.getKey(),
                        e.getValue().size(), e.getValue().stream().min(Comparator.naturalOrder()).orElseThrow()));
            }
        });
        return out;
    }

    /**
     * A message's template as the job's template step leaves it at the end of the run: the job mines per routing key,
     * which for these uploads is the workspace, so it is the text a miner that has seen all the workspace's lines
     * gives (AnalystQueriesTest checks that it does not depend on the order of the lines).
     */
    static String template(String workspace, String message) {
        return TRAINED.computeIfAbsent(workspace, w -> trained(AnalystData.LINES.stream()
                .filter(l -> l.workspace().equals(w)).map(Line::message).toList())).add(message, 0).text;
    }

    private static final Map<String, TemplateMiner> TRAINED = new java.util.concurrent.ConcurrentHashMap<>();

    /** A miner that has seen {@code messages} in this order. */
    static TemplateMiner trained(List<String> messages) {
        TemplateMiner miner = new TemplateMiner(0);
        messages.forEach(m -> miner.add(m, 0));
        return miner;
    }

    private static final Comparator<List<Object>> KEY_ORDER = (a, b) -> {
        for (int i = 0; i < a.size(); i++) {
            @SuppressWarnings({"unchecked", "rawtypes"})
            int c = ((Comparable) a.get(i)).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };

    private static Map<List<Object>, List<Line>> group(List<Line> lines, Function<Line, List<Object>> key) {
        Map<List<Object>, List<Line>> out = new TreeMap<>(KEY_ORDER);
        for (Line l : lines) {
            out.computeIfAbsent(Objects.requireNonNull(key.apply(l)), k -> new ArrayList<>()).add(l);
        }
        return out;
    }
}
