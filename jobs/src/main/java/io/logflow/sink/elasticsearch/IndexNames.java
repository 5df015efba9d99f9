package io.logflow.sink.elasticsearch;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The index an event goes to: {@code elasticsearch.index-pattern} with {@code <workspace>} (if the pattern has it)
 * replaced by the sanitised workspace id and the date placeholder by the event's UTC time. A pattern without
 * {@code <workspace>} names indices shared by all workspaces ({@link #shared()}).
 *
 * <p>The sanitiser is injective, so no workspace id can name another workspace's index: an id that is already a safe
 * index-name part (lowercase {@code [a-z0-9._-]}, not starting with {@code . _ - +}, at most 64 characters) is used
 * as it is; any other id becomes its cleaned form, a {@code ~} and 16 hex digits of its SHA-256. Safe ids never
 * contain {@code ~}, so the two forms cannot meet, and two unsafe ids meet only on a 64-bit hash collision. Case
 * matters: {@code Acme} and {@code acme} are different workspaces and get different indices. Events without a
 * workspace use {@code elasticsearch.unassigned-workspace}, which starts with {@code _} and so is reachable by no id.
 */
public final class IndexNames implements Serializable {
    private static final long serialVersionUID = 1L;

    static final int MAX_SAFE_LENGTH = 64;
    private static final int MAX_CLEANED_LENGTH = 40;
    private static final Pattern SAFE = Pattern.compile("[a-z0-9][a-z0-9._-]{0," + (MAX_SAFE_LENGTH - 1) + "}");
    private static final Pattern PLACEHOLDER = Pattern.compile("<([^<>]*)>");
    private static final Pattern LITERAL = Pattern.compile("[a-z0-9._+-]*");
    private static final Pattern DATE = Pattern.compile("[yMdH]+([._-]?[yMdH]+)*");
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final String pattern;
    private final String unassigned;
    /** Literal text and placeholders in order; a placeholder is stored as {@code <workspace>} or {@code <date>}. */
    private final List<String> parts;
    private final String datePattern;
    private transient DateTimeFormatter dateFormat;

    private IndexNames(String pattern, String unassigned, List<String> parts, String datePattern) {
        this.pattern = pattern;
        this.unassigned = unassigned;
        this.parts = parts;
        this.datePattern = datePattern;
    }

    /**
     * Parses and checks {@code pattern}; the message of the {@link IllegalArgumentException} says what is wrong (the
     * caller adds the key).
     */
    public static IndexNames parse(String pattern, String unassigned) {
        List<String> parts = new ArrayList<>();
        String datePattern = null;
        int workspaces = 0;
        Matcher m = PLACEHOLDER.matcher(pattern);
        int at = 0;
        while (m.find()) {
            parts.add(literal(pattern, pattern.substring(at, m.start())));
            String token = m.group(1);
            if (token.equals("workspace")) {
                workspaces++;
                parts.add("<workspace>");
            } else if (DATE.matcher(token).matches()) {
                if (datePattern != null) {
                    throw new IllegalArgumentException("'" + pattern + "' has more than one date placeholder");
                }
                datePattern = token;
                parts.add("<date>");
            } else {
                throw new IllegalArgumentException("'" + pattern + "': unknown placeholder <" + token + ">, expected "
                        + "<workspace> or a UTC date such as <yyyy.MM.dd>");
            }
            at = m.end();
        }
        parts.add(literal(pattern, pattern.substring(at)));
        parts.removeIf(String::isEmpty);
        if (workspaces > 1) {
            throw new IllegalArgumentException("'" + pattern + "' must contain <workspace> at most once");
        }
        String prefix = parts.get(0).startsWith("<") ? "" : parts.get(0);
        if (prefix.isEmpty() || "-_+.".indexOf(prefix.charAt(0)) >= 0) {
            throw new IllegalArgumentException("'" + pattern + "' must start with a literal prefix such as 'logflow-' "
                    + "that does not start with - _ + or . (the index template matches '<prefix>*')");
        }
        if (pattern.length() > 100) {
            throw new IllegalArgumentException("'" + pattern + "' is longer than 100 characters");
        }
        if (unassigned == null || !unassigned.matches("_[a-z0-9._-]{1,40}")) {
            throw new IllegalArgumentException("'" + unassigned + "' must start with '_' followed by 1 to 40 of "
                    + "a-z 0-9 . _ - (so that no workspace id can produce it)");
        }
        return new IndexNames(pattern, unassigned, List.copyOf(parts), datePattern);
    }

    private static String literal(String pattern, String text) {
        if (!LITERAL.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + pattern + "': '" + text + "' may hold only lowercase a-z, 0-9 and "
                    + ". _ + - outside placeholders");
        }
        return text;
    }

    /** The literal start of every index name, e.g. {@code logflow-}. */
    public String prefix() {
        return parts.get(0);
    }

    /** The index pattern of the index template: every index this sink can write. */
    public String templatePattern() {
        return prefix() + "*";
    }

    public String unassigned() {
        return unassigned;
    }

    /** True if the pattern has no {@code <workspace>}: indices shared by all workspaces, routed by workspace. */
    public boolean shared() {
        return !parts.contains("<workspace>");
    }

    /**
     * The end of the period an index of this pattern holds (its date plus one unit of the finest date letter), or
     * -1 if {@code index} is not a name this pattern makes with the date as its last part. {@code workspacePart}
     * is the sanitised workspace the name must hold, or null for any.
     */
    public long periodEnd(String index, String workspacePart) {
        if (datePattern == null || !parts.get(parts.size() - 1).equals("<date>") || !index.startsWith(prefix())) {
            return -1;
        }
        int length = dateFormat().format(Instant.EPOCH).length();
        if (index.length() <= length) {
            return -1;
        }
        String head = index.substring(0, index.length() - length);
        if (workspacePart != null) {
            StringBuilder expected = new StringBuilder();
            for (String part : parts.subList(0, parts.size() - 1)) {
                expected.append(part.equals("<workspace>") ? workspacePart : part);
            }
            if (!head.equals(expected.toString())) {
                return -1;
            }
        } else if (shared() && !head.equals(String.join("", parts.subList(0, parts.size() - 1)))) {
            return -1;
        }
        ChronoUnit unit = datePattern.indexOf('H') >= 0 ? ChronoUnit.HOURS
                : datePattern.indexOf('d') >= 0 ? ChronoUnit.DAYS
                : datePattern.indexOf('M') >= 0 ? ChronoUnit.MONTHS
                : ChronoUnit.YEARS;
        try {
            return periodStart(index.substring(index.length() - length)).plus(1, unit).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** The start of the period a date of the placeholder's form names; throws if it names none. */
    private ZonedDateTime periodStart(String date) {
        TemporalAccessor parsed = new DateTimeFormatterBuilder()
                .appendPattern(datePattern)
                .parseDefaulting(ChronoField.MONTH_OF_YEAR, 1)
                .parseDefaulting(ChronoField.DAY_OF_MONTH, 1)
                .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
                .toFormatter(Locale.ROOT).withZone(ZoneOffset.UTC)
                .parse(date);
        return ZonedDateTime.from(parsed);
    }

    /** The index of an event of {@code workspaceId} (null or blank: unassigned) at {@code epochMillis}. */
    public String index(String workspaceId, long epochMillis) {
        StringBuilder out = new StringBuilder(64);
        for (String part : parts) {
            if (part.equals("<workspace>")) {
                out.append(workspaceId == null || workspaceId.isBlank() ? unassigned : sanitise(workspaceId));
            } else if (part.equals("<date>")) {
                out.append(dateFormat().format(Instant.ofEpochMilli(epochMillis)));
            } else {
                out.append(part);
            }
        }
        return out.toString();
    }

    /**
     * All indices of one workspace, for searches: the pattern with the date as {@code *}. Only a prefix: combine it
     * with a {@code workspaceId} term filter, because another workspace's indices can match it too.
     */
    public String indicesOf(String workspaceId) {
        StringBuilder out = new StringBuilder(64);
        for (String part : parts) {
            if (part.equals("<workspace>")) {
                out.append(workspaceId == null || workspaceId.isBlank() ? unassigned : sanitise(workspaceId));
            } else if (part.equals("<date>")) {
                out.append('*');
            } else {
                out.append(part);
            }
        }
        return out.toString();
    }

    /**
     * True if {@code index} is a name this pattern makes for {@code workspaceId} (null: for any workspace) on some
     * date: the date must have the shape of the date placeholder, so {@code logflow-dedicated-bigco-2026.11.02} is
     * bigco's and {@code logflow-dedicated-bigco-eu-2026.11.02} is not.
     */
    public boolean isIndexOf(String index, String workspaceId) {
        return name(workspaceId == null ? null : workspaceId.isBlank() ? unassigned : sanitise(workspaceId))
                .matcher(index).matches();
    }

    /**
     * The workspace part (as in the name: sanitised, or the unassigned name; null if the pattern has none) and the
     * start of the period of an index this pattern names, or null if it names no such index.
     */
    public Parsed read(String index) {
        Matcher m = name(null).matcher(index);
        if (!m.matches()) {
            return null;
        }
        String workspacePart = parts.contains("<workspace>") ? m.group("workspace") : null;
        long start = 0;
        if (datePattern != null) {
            try {
                start = periodStart(m.group("date")).toInstant().toEpochMilli();
            } catch (RuntimeException e) {
                return null; // the shape of a date, not a date (month 13)
            }
        }
        return new Parsed(workspacePart, start);
    }

    /** What an index name holds: see {@link #read(String)}. */
    public record Parsed(String workspacePart, long periodStart) {}

    /** The names this pattern makes, for one workspace part or (null) any; the date of the placeholder's shape. */
    private Pattern name(String workspacePart) {
        StringBuilder regex = new StringBuilder();
        for (String part : parts) {
            if (part.equals("<workspace>")) {
                regex.append(workspacePart == null ? "(?<workspace>.+)" : Pattern.quote(workspacePart));
            } else if (part.equals("<date>")) {
                regex.append("(?<date>");
                Matcher letters = Pattern.compile("([yMdH])\\1*|[._-]").matcher(datePattern);
                while (letters.find()) {
                    regex.append(letters.group(1) == null ? Pattern.quote(letters.group())
                            : "\\d{" + letters.group().length() + "}");
                }
                regex.append(')');
            } else {
                regex.append(Pattern.quote(part));
            }
        }
        return Pattern.compile(regex.toString());
    }

    /** The workspace part of an index name: {@code id} itself if it is safe, else cleaned + {@code ~} + hash. */
    public static String sanitise(String id) {
        if (SAFE.matcher(id).matches()) {
            return id;
        }
        String lower = id.toLowerCase(Locale.ROOT);
        StringBuilder cleaned = new StringBuilder(MAX_CLEANED_LENGTH);
        for (int i = 0; i < lower.length() && cleaned.length() < MAX_CLEANED_LENGTH; i++) {
            char c = lower.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
            if (cleaned.length() == 0 && (c == '.' || c == '_' || c == '-')) {
                continue; // never lead with . _ - (hidden, reserved or illegal index names)
            }
            cleaned.append(ok ? c : '_');
        }
        return cleaned.append('~').append(hash(id)).toString();
    }

    private static String hash(String id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            char[] out = new char[16];
            for (int i = 0; i < 8; i++) {
                out[2 * i] = HEX[(digest[i] >> 4) & 0xf];
                out[2 * i + 1] = HEX[digest[i] & 0xf];
            }
            return new String(out);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the JDK specification", e);
        }
    }

    private DateTimeFormatter dateFormat() {
        if (dateFormat == null && datePattern != null) {
            dateFormat = DateTimeFormatter.ofPattern(datePattern, Locale.ROOT).withZone(ZoneOffset.UTC);
        }
        return dateFormat;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
