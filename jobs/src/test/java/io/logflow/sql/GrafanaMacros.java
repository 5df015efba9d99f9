package io.logflow.sql;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Grafana's PostgreSQL data source does to a panel's rawSql before sending it: template variables first
 * ({@code $workspace}, {@code $__interval}), then the macros, expanded as its macro engine does
 * ({@code pkg/tsdb/grafana-postgresql-datasource/macros.go}): {@code $__timeFilter(c)} is {@code c BETWEEN 'from' AND
 * 'to'} in RFC 3339 UTC, {@code $__timeGroup(c, i)} is {@code floor(extract(epoch from c)/s)*s}, and so on. An unknown
 * macro fails, as it does in Grafana.
 */
final class GrafanaMacros {
    private static final Pattern MACRO = Pattern.compile("\\$(__[_a-zA-Z0-9]+)\\(([^)]*)\\)");

    private GrafanaMacros() {}

    static String expand(String sql, Instant from, Instant to, Map<String, String> variables) {
        String out = sql;
        for (Map.Entry<String, String> v : variables.entrySet()) {
            out = out.replace("${" + v.getKey() + "}", v.getValue()).replace("$" + v.getKey(), v.getValue());
        }
        Matcher m = MACRO.matcher(out);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String[] args = m.group(2).isBlank() ? new String[0] : m.group(2).split(",");
            for (int i = 0; i < args.length; i++) {
                args[i] = args[i].strip();
            }
            m.appendReplacement(b, Matcher.quoteReplacement(macro(m.group(1), args, from, to)));
        }
        m.appendTail(b);
        if (b.indexOf("$") >= 0) {
            throw new IllegalArgumentException("unexpanded variable or macro in: " + b);
        }
        return b.toString();
    }

    private static String macro(String name, String[] args, Instant from, Instant to) {
        return switch (name) {
            case "__time" -> args[0] + " AS \"time\"";
            case "__timeEpoch" -> "extract(epoch from " + args[0] + ") as \"time\"";
            case "__timeFilter" -> args[0] + " BETWEEN '" + from + "' AND '" + to + "'";
            case "__timeFrom" -> "'" + from + "'";
            case "__timeTo" -> "'" + to + "'";
            case "__timeGroup" -> timeGroup(args);
            case "__timeGroupAlias" -> timeGroup(args) + " AS \"time\"";
            default -> throw new IllegalArgumentException("unknown macro $" + name);
        };
    }

    private static String timeGroup(String[] args) {
        long seconds = interval(args[1].replace("'", "")).toSeconds();
        return "floor(extract(epoch from " + args[0] + ")/" + seconds + ")*" + seconds;
    }

    /** Grafana's interval syntax: {@code 30s}, {@code 1m}, {@code 1h}, {@code 1d}. */
    static Duration interval(String text) {
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("interval " + text);
        };
    }
}
