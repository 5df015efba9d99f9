package io.logflow.sql;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The input of the analysts' and dashboards' tests: log lines of two workspaces over two days in two ISO weeks
 * (Sunday 2026-11-01 and Monday 2026-11-02), with requests (one failing with an ERROR, one never completing),
 * durations, several services and levels. The tests compute their expected rows from {@link #LINES}.
 *
 * <p>Messages are chosen so that each template is unambiguous: messages of one template differ only in numbers or
 * paths, and messages of different templates differ in their first token or their length, so the template miner
 * never merges two of them, whatever order the tasks see them in.
 */
final class AnalystData {
    private AnalystData() {}

    /** One JSON log line as the upload holds it; the path gives workspace and service. */
    record Line(String workspace, String service, Instant time, String level, String message, String requestId,
            String traceId, Double durationMs) {

        String json() {
            StringBuilder s = new StringBuilder("{\"timestamp\":\"").append(time).append("\",\"level\":\"")
                    .append(level.toLowerCase(Locale.ROOT)).append("\",\"message\":\"").append(message).append('"');
            if (requestId != null) {
                s.append(",\"requestId\":\"").append(requestId).append('"');
            }
            if (traceId != null) {
                s.append(",\"traceId\":\"").append(traceId).append('"');
            }
            if (durationMs != null) {
                s.append(",\"durationMs\":").append(durationMs.longValue());
            }
            return s.append('}').toString();
        }

        /** {@code <workspace>/<service>/<yyyy>/<mm>/<dd>/<file>}, one file per workspace, service and day. */
        String file() {
            String day = time.toString().substring(0, 10).replace('-', '/');
            return workspace + "/" + service + "/" + day + "/" + service + ".log";
        }

        boolean isError() {
            return level.equals("ERROR") || level.equals("FATAL");
        }

        long bytes() {
            return message.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
    }

    static final String SUNDAY = "2026-11-01";
    static final String MONDAY = "2026-11-02";

    static final List<Line> LINES = List.of(
            line("acme", "api", SUNDAY + "T23:58:10Z", "INFO", "user 17 logged in", null, "t0", null),
            line("acme", "api", SUNDAY + "T23:58:40Z", "INFO", "user 42 logged in", null, null, null),
            line("acme", "api", SUNDAY + "T23:59:05Z", "WARN", "cache miss for key 9", null, null, null),
            line("acme", "api", SUNDAY + "T23:59:30Z", "ERROR", "payment 7 declined", null, null, null),
            line("acme", "api", MONDAY + "T09:00:05Z", "INFO", "GET /orders started", "r1", "t1", null),
            line("acme", "api", MONDAY + "T09:00:06Z", "INFO", "request finished in 120 ms", "r1", "t1", 120.0),
            line("acme", "api", MONDAY + "T09:00:10Z", "INFO", "GET /orders started", "r2", "t2", null),
            line("acme", "api", MONDAY + "T09:00:12Z", "ERROR", "db timeout after 2000 ms", "r2", "t2", null),
            line("acme", "api", MONDAY + "T09:00:13Z", "INFO", "request finished in 2050 ms", "r2", "t2", 2050.0),
            line("acme", "api", MONDAY + "T09:01:00Z", "INFO", "GET /users started", "r3", "t3", null),
            line("acme", "api", MONDAY + "T09:01:01Z", "INFO", "request finished in 80 ms", "r3", "t3", 80.0),
            line("acme", "api", MONDAY + "T09:01:20Z", "INFO", "POST /pay started", "r4", "t4", null),
            line("acme", "api", MONDAY + "T09:01:40Z", "INFO", "GET /users started", "r5", "t5", null),
            line("acme", "api", MONDAY + "T09:01:41Z", "INFO", "request finished in 300 ms", "r5", "t5", 300.0),
            line("acme", "api", MONDAY + "T09:02:00Z", "DEBUG", "heartbeat 1", null, null, null),
            line("acme", "api", MONDAY + "T09:02:30Z", "FATAL", "out of memory", null, null, null),
            line("acme", "worker", MONDAY + "T09:00:30Z", "INFO", "job 1 finished in 50 ms", null, null, 50.0),
            line("acme", "worker", MONDAY + "T09:00:45Z", "WARN", "worker queue slow: 900 ms", null, null, 900.0),
            line("acme", "worker", MONDAY + "T09:01:15Z", "INFO", "job 3 finished in 60 ms", null, null, 60.0),
            line("beta", "web", MONDAY + "T09:00:20Z", "INFO", "GET /home answered 200", "b1", null, 10.0),
            line("beta", "web", MONDAY + "T09:00:50Z", "ERROR", "GET /x answered 500", "b2", null, 15.0));

    /** A line of acme's Monday api log that is no JSON object: an invalid_json failure. */
    static final String BROKEN_LINE = "{\"level\":\"info\",\"message\":\"unterminated";
    /** Lines of a tenant nobody registered: unknown_workspace failures. */
    static final List<String> UNCLAIMED = List.of("unclaimed 1", "unclaimed 2");
    static final String UNCLAIMED_FILE = "nobody/web/2026/11/02/web.log";
    /** A gzip cut inside its header: the upload FAILS and yields no line. */
    static final String CUT_FILE = "acme/api/2026/11/02/rotated.log.gz";
    static final String REGISTRATIONS = "{\"id\":\"acme\",\"name\":\"ACME\",\"uploadPrefixes\":[\"acme/\"]}\n"
            + "{\"id\":\"beta\",\"name\":\"Beta\",\"uploadPrefixes\":[\"beta/\"]}\n";

    private static Line line(String workspace, String service, String time, String level, String message,
            String requestId, String traceId, Double durationMs) {
        return new Line(workspace, service, Instant.parse(time), level, message, requestId, traceId, durationMs);
    }

    static List<Line> where(java.util.function.Predicate<Line> p) {
        List<Line> out = new ArrayList<>();
        for (Line l : LINES) {
            if (p.test(l)) {
                out.add(l);
            }
        }
        return out;
    }

    /** Requests: the lines that share a request id, in time order. */
    static List<List<Line>> requests() {
        List<List<Line>> out = new ArrayList<>();
        List<String> ids = LINES.stream().map(Line::requestId).filter(Objects::nonNull).distinct().toList();
        for (String id : ids) {
            out.add(where(l -> id.equals(l.requestId())));
        }
        return out;
    }
}
