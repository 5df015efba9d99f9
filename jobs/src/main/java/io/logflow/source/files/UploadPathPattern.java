package io.logflow.source.files;

import java.io.Serializable;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The naming convention of uploads below the source folder, e.g. {@code <workspace>/<service>/<yyyy>/<mm>/<dd>/<file>}.
 * A file's path gives the routing key for workspace enrichment ({@code <workspace>}), a service name, and a date.
 *
 * <p>A segment is a named part in angle brackets, {@code *} (any one folder) or a literal folder name. A path with a
 * different number of segments, or a differing literal, does not match: its routing key is then its path below the
 * source folder, and it has no service and no date.
 */
public final class UploadPathPattern implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String DEFAULT = "<workspace>/<service>/<yyyy>/<mm>/<dd>/<file>";
    private static final Set<String> PARTS = Set.of("workspace", "service", "yyyy", "mm", "dd", "file");

    private final String pattern;
    private final String[] segments;

    private UploadPathPattern(String pattern, String[] segments) {
        this.pattern = pattern;
        this.segments = segments;
    }

    /** Parses a pattern; a malformed one throws {@link IllegalArgumentException} saying what is wrong. */
    public static UploadPathPattern parse(String pattern) {
        String trimmed = pattern.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("/") || trimmed.endsWith("/")) {
            throw new IllegalArgumentException("expected folder segments separated by '/', such as " + DEFAULT);
        }
        String[] segments = trimmed.split("/");
        List<String> seen = new ArrayList<>();
        for (String segment : segments) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("empty segment in '" + trimmed + "'");
            }
            if (segment.startsWith("<") || segment.endsWith(">")) {
                String name = segment.length() > 2 ? segment.substring(1, segment.length() - 1) : "";
                if (!segment.startsWith("<") || !segment.endsWith(">") || !PARTS.contains(name)) {
                    throw new IllegalArgumentException("unknown part '" + segment + "', expected one of <workspace>, "
                            + "<service>, <yyyy>, <mm>, <dd>, <file>");
                }
                if (seen.contains(name)) {
                    throw new IllegalArgumentException("part '" + segment + "' appears twice");
                }
                seen.add(name);
            }
        }
        boolean anyDate = seen.contains("yyyy") || seen.contains("mm") || seen.contains("dd");
        boolean allDate = seen.contains("yyyy") && seen.contains("mm") && seen.contains("dd");
        if (anyDate && !allDate) {
            throw new IllegalArgumentException("a date needs all of <yyyy>, <mm> and <dd>");
        }
        return new UploadPathPattern(trimmed, segments);
    }

    /** Whether the pattern names a date ({@code <yyyy>/<mm>/<dd>}). */
    public boolean hasDate() {
        for (String segment : segments) {
            if (segment.equals("<yyyy>")) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the path of {@code file} says below the source folder {@code rootPath} (the folder URI's path part, as
     * {@link #rootPathOf} gives it). The reader and the backfill's file filter both ask here, so they agree.
     */
    public Match matchFile(String rootPath, org.apache.flink.core.fs.Path file) {
        String path = file.toUri().getPath();
        String relative = path.startsWith(rootPath) ? path.substring(rootPath.length()) : path;
        int start = 0;
        int end = relative.length();
        while (start < end && relative.charAt(start) == '/') {
            start++;
        }
        while (end > start && relative.charAt(end - 1) == '/') {
            end--;
        }
        return match(relative.substring(start, end));
    }

    /** The path part of the source folder's URI, which {@link #matchFile} strips from file paths. */
    public static String rootPathOf(String rootUri) {
        return new org.apache.flink.core.fs.Path(rootUri).toUri().getPath();
    }

    /** What a file's path says, relative to the source folder (no leading slash). */
    public Match match(String relativePath) {
        String[] parts = relativePath.split("/");
        if (parts.length != segments.length) {
            return Match.unmatched(relativePath);
        }
        String workspace = null;
        String service = null;
        String yyyy = null;
        String mm = null;
        String dd = null;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            String value = parts[i];
            switch (segment) {
                case "<workspace>":
                    workspace = value;
                    break;
                case "<service>":
                    service = value;
                    break;
                case "<yyyy>":
                    yyyy = value;
                    break;
                case "<mm>":
                    mm = value;
                    break;
                case "<dd>":
                    dd = value;
                    break;
                case "<file>":
                case "*":
                    break;
                default:
                    if (!segment.equals(value)) {
                        return Match.unmatched(relativePath);
                    }
            }
        }
        LocalDate date = null;
        if (yyyy != null) {
            date = date(yyyy, mm, dd);
            if (date == null) {
                return Match.unmatched(relativePath);
            }
        }
        return new Match(true, workspace != null ? workspace : relativePath, service, date);
    }

    private static LocalDate date(String yyyy, String mm, String dd) {
        try {
            return LocalDate.of(Integer.parseInt(yyyy), Integer.parseInt(mm), Integer.parseInt(dd));
        } catch (NumberFormatException | DateTimeException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return pattern;
    }

    /** The routing key, service and date a path gives. */
    public static final class Match {
        public final boolean matched;
        public final String routingKey;
        public final String service;
        public final LocalDate date;

        Match(boolean matched, String routingKey, String service, LocalDate date) {
            this.matched = matched;
            this.routingKey = routingKey;
            this.service = service;
            this.date = date;
        }

        static Match unmatched(String relativePath) {
            return new Match(false, relativePath, null, null);
        }

        /** Midnight UTC of the path's date in epoch millis, or 0 when the path has no date. */
        public long dateMillis() {
            return date == null ? 0 : date.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        }
    }
}
