package io.logflow.parse;

import io.logflow.model.RawLog;
import io.logflow.model.Storable;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Log lines of every format the parser detects, filled with hostile text: NUL (raw, and as the JSON escape), the
 * literal text backslash-{@code u0000} (a Windows path), lone high and low surrogates (raw and as JSON escapes),
 * U+FFFE/U+FFFF, invalid UTF-8 decoded as UTF-8, control characters, bidi overrides, emoji, empty and very long keys.
 *
 * <p>A line is either <em>clean</em> (every string it holds is storable as it is) or <em>hostile</em>: then a string no
 * store accepts sits where it must reach the event (the message, or the record's coordinates), so the event must say
 * it was sanitized. Other parts of a hostile line may be hostile too.
 */
public final class HostileLines {
    private HostileLines() {}

    /** Formats the lines come in; the names are those of {@code PARSE_LOG}'s forced formats. */
    public static final String[] KINDS = {"json", "logfmt", "syslog", "access", "lambda", "text"};

    /** One generated record. */
    public static final class Line {
        public final String kind;
        public final String text;
        /** Coordinates of the record (null when the source has none). */
        public final String logGroup;
        public final String logStream;
        public final String path;
        /** Whether a string no store accepts must reach the event. */
        public final boolean hostile;

        Line(String kind, String text, String logGroup, String logStream, String path, boolean hostile) {
            this.kind = kind;
            this.text = text;
            this.logGroup = logGroup;
            this.logStream = logStream;
            this.path = path;
            this.hostile = hostile;
        }

        public RawLog raw(long receiveTime) {
            RawLog raw = RawLog.fileLine(path, null, 1, text, receiveTime);
            raw.logGroup = logGroup;
            raw.logStream = logStream;
            return raw;
        }

        @Override
        public String toString() {
            return kind + (hostile ? " hostile " : " clean ") + escape(text)
                    + " group=" + escape(logGroup) + " stream=" + escape(logStream) + " path=" + escape(path);
        }
    }

    /**
     * A piece of text as it appears in a plain line and as JSON string source, and whether each can reach a store as
     * it is ({@code \u0000} is literal text in a plain line but a NUL in JSON).
     */
    static final class Piece {
        final String plain;
        final String json;
        final boolean plainBad;
        final boolean jsonBad;

        Piece(String plain, String json, boolean plainBad, boolean jsonBad) {
            this.plain = plain;
            this.json = json;
            this.plainBad = plainBad;
            this.jsonBad = jsonBad;
        }

        static Piece raw(String text) {
            boolean bad = !Storable.isStorable(text);
            return new Piece(text, jsonEscape(text), bad, bad);
        }

        static Piece jsonSource(String source, boolean bad) {
            return new Piece(source, source, false, bad);
        }
    }

    static final String INVALID_UTF8 = new String(new byte[] {
        (byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0xED, (byte) 0xA0, (byte) 0x80, 'o', 'k', (byte) 0xF0,
        (byte) 0x9F}, StandardCharsets.UTF_8);

    /** Words that are no secret, no level and no alias of a core attribute. */
    private static final String[] WORDS = {"user", "order", "42", "disk", "full", "path", "retry", "7ms", "é", "ß"};

    private static final Piece[] CLEAN = {
        Piece.raw(" "),
        Piece.raw("\t"),
        Piece.raw("C:\\u0000dir"), // the literal text: a backslash, then u0000
        Piece.raw("\\ud800"),
        Piece.raw("\u0001"),
        Piece.raw("\u001b[31m"),
        Piece.raw("\u007f"),
        Piece.raw("\u0085"),
        Piece.raw("\uFFFE"),
        Piece.raw("\uFFFF"),
        Piece.raw("\u202e"),
        Piece.raw("\u2066"),
        Piece.raw("\uD83D\uDE00"),
        Piece.raw("\uD83D\uDE00\uD83D\uDC4D\uD83C\uDFFD"),
        Piece.raw(INVALID_UTF8),
        Piece.jsonSource("\\u001f", false),
        Piece.jsonSource("\\ufffe", false),
        Piece.jsonSource("\\ud83d\\ude00", false), // an escaped, valid pair
        Piece.jsonSource("\\\"", false),
        Piece.jsonSource("\\\\", false),
        Piece.jsonSource("\\n", false),
    };

    private static final Piece[] UNSTORABLE = {
        Piece.raw("\u0000"),
        Piece.raw("\uD800"),
        Piece.raw("\uDC00"),
        Piece.raw("\uDC00\uD800"), // a pair in the wrong order
        Piece.raw("\uD83D"), // half an emoji
        Piece.jsonSource("\\u0000", true),
        Piece.jsonSource("\\ud800", true),
        Piece.jsonSource("\\udc00", true),
        Piece.jsonSource("\\ud83dx", true),
        new Piece("\u0000", "\u0000", true, true), // a raw NUL inside a JSON string: invalid JSON
    };

    /** The pieces a hostile line's marker is made of: NUL and lone surrogates, as a plain line and JSON carry them. */
    private static final Piece[] MARKERS = {
        Piece.raw("\u0000"),
        Piece.raw("\uD800"),
        Piece.raw("\uDC00"),
        Piece.raw("a\uDC00\uD800b"),
        new Piece("\u0000", "\\u0000", true, true),
        new Piece("\uD800", "\\ud800", true, true),
        new Piece("\uDC00", "\\udc00", true, true),
    };

    /** A run of words and pieces; {@code hostile} lets unstorable pieces in. */
    static Arbitrary<List<Piece>> text(boolean hostile, int maxPieces) {
        Arbitrary<Piece> word = Arbitraries.of(WORDS).map(Piece::raw);
        Arbitrary<Piece> clean = Arbitraries.of(CLEAN);
        Arbitrary<Piece> piece = hostile
                ? Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, word), net.jqwik.api.Tuple.of(3, clean),
                        net.jqwik.api.Tuple.of(2, Arbitraries.of(UNSTORABLE)))
                : Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, word), net.jqwik.api.Tuple.of(3, clean));
        return piece.list().ofMaxSize(maxPieces);
    }

    /** Records of every format; about half of them hostile. */
    public static Arbitrary<Line> lines() {
        return Arbitraries.of(true, false).flatMap(HostileLines::lines);
    }

    public static Arbitrary<Line> lines(boolean hostile) {
        Arbitrary<Piece> marker = hostile ? Arbitraries.of(MARKERS) : Arbitraries.just(null);
        Arbitrary<Boolean> markInMessage = hostile ? Arbitraries.of(true, true, true, false) : Arbitraries.just(false);
        Arbitrary<List<List<Piece>>> slots = text(hostile, 8).list().ofSize(6);
        Arbitrary<List<String>> keys = keys(hostile).list().ofMaxSize(5);
        Arbitrary<String> kind = Arbitraries.of(KINDS);
        return Combinators.combine(kind, marker, markInMessage, slots, keys).as((k, m, inMessage, s, ks) -> {
            Piece msgMarker = m != null && inMessage ? m : null;
            String text = line(k, s, ks, msgMarker);
            boolean coordinateMark = m != null && !inMessage;
            String group = coordinateMark ? "/aws/lambda/fn" + m.plain : "/aws/lambda/fn";
            return new Line(k, text, group, "2024/06/15/[$LATEST]abc", "file:/logs/app.log", m != null);
        });
    }

    /** One value of about {@code size} characters: letters, emoji at an odd offset, and maybe a hostile piece. */
    public static Arbitrary<Line> hugeLines(int size) {
        Arbitrary<String> kind = Arbitraries.of(KINDS);
        Arbitrary<Piece> marker = Arbitraries.of(MARKERS).injectNull(0.4);
        Arbitrary<Integer> shape = Arbitraries.integers().between(0, 2);
        return Combinators.combine(kind, marker, shape).as((k, m, sh) -> {
            Piece big;
            switch (sh) {
                case 0:
                    big = Piece.raw("x".repeat(size));
                    break;
                case 1:
                    big = Piece.raw("a" + "\uD83D\uDE00".repeat(size / 2)); // every cut point falls inside a pair
                    break;
                default:
                    big = Piece.raw("ab \u202e\u0001 ".repeat(size / 7));
            }
            List<Piece> value = List.of(big);
            List<Piece> word = List.of(Piece.raw("disk"));
            List<List<Piece>> slots = List.of(value, word, value, word, word, word); // the message and one value
            String text = line(k, slots, List.of("k".repeat(size / 4)), m);
            return new Line(k, text, null, null, "file:/logs/big.log", m != null);
        });
    }

    private static Arbitrary<String> keys(boolean hostile) {
        Arbitrary<String> generated = text(hostile, 4).map(HostileLines::json);
        return Arbitraries.oneOf(generated, Arbitraries.of("", "k".repeat(5_000), "a.b", "service", "trace_id",
                "request_id", "span_id", "logflow.dropped_fields"));
    }

    /** The line of format {@code kind}; the message holds {@code marker} (when given) between spaces. */
    static String line(String kind, List<List<Piece>> slots, List<String> jsonKeys, Piece marker) {
        boolean json = kind.equals("json");
        String message = (json ? json(slots.get(0)) : plain(slots.get(0)))
                + (marker == null ? "" : " " + (json ? marker.json : marker.plain) + " ")
                + (json ? json(slots.get(1)) : plain(slots.get(1)));
        String a = plain(slots.get(2));
        String b = plain(slots.get(3));
        switch (kind) {
            case "json": {
                StringBuilder sb = new StringBuilder("{\"level\":\"error\",\"message\":\"").append(message).append('"');
                for (int i = 0; i < jsonKeys.size(); i++) {
                    String value = json(slots.get(2 + i % 4));
                    if (i == 1) {
                        sb.append(",\"ctx\":{\"").append(jsonKeys.get(i)).append("\":\"").append(value).append("\"}");
                    } else {
                        sb.append(",\"").append(jsonKeys.get(i)).append("\":\"").append(value).append('"');
                    }
                }
                return sb.append(",\"n\":12.5,\"ok\":true,\"none\":null,\"list\":[\"").append(json(slots.get(5)))
                        .append("\",1]}").toString();
            }
            case "logfmt":
                return "ts=2024-06-15T12:00:00Z level=warn msg=\"" + message + "\" user=" + noSpace(a) + " note=\""
                        + b + "\" took=35ms";
            case "syslog":
                return slots.get(4).size() % 2 == 0
                        ? "<34>Oct 11 22:14:15 host" + noSpace(a) + " app[123]: " + message
                        : "<165>1 2024-06-15T12:00:00.003Z host app - ID47 [ex@1 k=\"" + noSpace(a) + "\"] " + message;
            case "access":
                return "10.0.0.5 - - [15/Jun/2024:11:58:01 +0000] \"GET /" + noSpace(a) + " HTTP/1.1\" 404 12 \"-\" \""
                        + message + "\" 1532";
            case "lambda":
                return "2024-06-15T12:00:00.000Z\t8f507cfc-0000-4000-8000-000000000001\tERROR\t" + message;
            default:
                return slots.get(4).size() % 2 == 0 ? "2024-06-15 12:00:00,250 ERROR " + message + " " + b
                        : "started " + message;
        }
    }

    static String plain(List<Piece> pieces) {
        StringBuilder sb = new StringBuilder();
        for (Piece p : pieces) {
            sb.append(p.plain);
        }
        return sb.toString();
    }

    static String json(List<Piece> pieces) {
        StringBuilder sb = new StringBuilder();
        for (Piece p : pieces) {
            sb.append(p.json);
        }
        return sb.toString();
    }

    private static String noSpace(String s) {
        return s.replace(' ', '_').replace('\t', '_');
    }

    /** {@code s} as JSON string content: quotes, backslashes and control characters escaped, surrogates as they are. */
    static String jsonEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** For messages: every character outside printable ASCII as {@code \\uXXXX}, at most 300 of them. */
    public static String escape(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(s.length(), 300); i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return s.length() > 300 ? sb + "... (" + s.length() + " characters)" : sb.toString();
    }

    /** Whether JSON text holds the escape of a NUL (not counting an escaped backslash followed by {@code u0000}). */
    public static boolean hasNulEscape(String json) {
        for (int i = 0; i < json.length() - 1; i++) {
            if (json.charAt(i) == '\\') {
                if (json.startsWith("u0000", i + 1)) {
                    return true;
                }
                i++; // skip the escaped character, a backslash included
            }
        }
        return false;
    }
}
