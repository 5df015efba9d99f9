package io.logflow.parse;

import io.logflow.model.Level;
import io.logflow.model.RawLog;
import io.logflow.parse.format.KlogFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The formats added for Kubernetes, error logs and CEF: forced ones parse or mismatch, and well-formed lines round-trip. */
class FormatPropertiesTest {
    private static final long RECEIVE = Instant.parse("2024-06-15T12:00:00Z").toEpochMilli();
    private static final Map<LogFormat, Set<String>> PRODUCES = Map.of(
            LogFormat.KLOG, Set.of("klog", "glog"),
            LogFormat.GLOG, Set.of("klog", "glog"),
            LogFormat.NGINX_ERROR, Set.of("nginx_error"),
            LogFormat.APACHE_ERROR, Set.of("apache_error"),
            LogFormat.CEF, Set.of("cef"));
    private final LogParser auto = new LogParser();

    @Property(tries = 1500)
    void aForcedFormatEitherParsesOrIsAFormatMismatch(@ForAll("formatShaped") String text,
            @ForAll("newFormats") LogFormat format) {
        ParseOutcome outcome = new LogParser(ParserOptions.builder().format(format).build()).parse(raw(text));
        switch (outcome.kind) {
            case EVENT:
                assertThat(outcome.event.format).isIn(PRODUCES.get(format));
                assertThat(outcome.event.level).isNotNull();
                assertThat(outcome.event.message).isNotNull();
                assertThat(outcome.event.timestamp).isNotEqualTo(Timestamps.NONE);
                break;
            case FAILURE:
                assertThat(outcome.reason).isEqualTo(LogParser.REASON_FORMAT_MISMATCH);
                break;
            default:
                assertThat(outcome.reason).isEqualTo(LogParser.REASON_BLANK_LINE);
        }
    }

    @Property(tries = 1500)
    void autoDetectionNeverThrowsOnFormatShapedNoise(@ForAll("formatShaped") String text) {
        ParseOutcome outcome = auto.parse(raw(text));
        assertThat(outcome.reason).isNotEqualTo(LogParser.REASON_PARSER_ERROR);
        if (outcome.kind == ParseOutcome.Kind.EVENT) {
            assertThat(outcome.event.message).isNotNull().doesNotContain("\u001B");
        }
    }

    @Property(tries = 500)
    void klogLinesRoundTrip(@ForAll("klogLevels") char level, @ForAll("times") LocalDateTime time,
            @ForAll @IntRange(min = 1, max = 9_999_999) int thread, @ForAll("words") String file,
            @ForAll @IntRange(min = 1, max = 99_999) int lineNo, @ForAll("messages") String message) {
        String line = String.format("%c%02d%02d %02d:%02d:%02d.%06d %7d %s.go:%d] %s", level, time.getMonthValue(),
                time.getDayOfMonth(), time.getHour(), time.getMinute(), time.getSecond(), time.getNano() / 1000,
                thread, file, lineNo, message);
        ParseOutcome outcome = auto.parse(raw(line));
        assertThat(outcome.kind).as(line).isEqualTo(ParseOutcome.Kind.EVENT);
        assertThat(outcome.event.format).isEqualTo(KlogFormat.FORMAT_KLOG);
        assertThat(outcome.event.level).isEqualTo(
                Map.of('I', Level.INFO, 'W', Level.WARN, 'E', Level.ERROR, 'F', Level.FATAL).get(level));
        assertThat(outcome.event.message).isEqualTo(message.stripTrailing());
        assertThat(outcome.event.fields).containsEntry(KlogFormat.THREAD_ID, Integer.toString(thread))
                .containsEntry(KlogFormat.SOURCE_FILE, file + ".go")
                .containsEntry(KlogFormat.SOURCE_LINE, Integer.toString(lineNo));
        // No year in the line: whichever year it is, it is within half a year of the receive time.
        assertThat(Math.abs(outcome.event.timestamp - RECEIVE)).isLessThanOrEqualTo(Duration.ofDays(184).toMillis());
        long sameDayAndTime = time.withYear(Instant.ofEpochMilli(outcome.event.timestamp).atZone(ZoneOffset.UTC)
                .getYear()).withNano(time.getNano() / 1_000_000 * 1_000_000).toInstant(ZoneOffset.UTC).toEpochMilli();
        assertThat(outcome.event.timestamp).isEqualTo(sameDayAndTime);
    }

    @Property(tries = 500)
    void cefExtensionValuesRoundTripThroughTheirEscapes(@ForAll("cefValues") List<String> values) {
        StringBuilder line = new StringBuilder("CEF:0|Acme|Probe|1.0|7|Probe fired|5|");
        for (int k = 0; k < values.size(); k++) {
            String escaped = values.get(k).replace("\\", "\\\\").replace("=", "\\=").replace("\n", "\\n");
            line.append(k == 0 ? "" : " ").append("cs").append(k).append('=').append(escaped);
        }
        ParseOutcome outcome = auto.parse(raw(line.toString()));
        assertThat(outcome.kind).as(line.toString()).isEqualTo(ParseOutcome.Kind.EVENT);
        assertThat(outcome.event.format).isEqualTo("cef");
        assertThat(outcome.event.level).isEqualTo(Level.WARN);
        for (int k = 0; k < values.size(); k++) {
            assertThat(outcome.event.fields).as(line.toString()).containsEntry("cs" + k, values.get(k));
        }
    }

    @Property(tries = 500)
    void colouringALineChangesNothingButTheRawText(@ForAll("plainLines") String line, @ForAll("colours") String colour) {
        String coloured = colour + line.replace(" ", "\u001B[0m " + colour) + "\u001B[0m";
        ParseOutcome plain = auto.parse(raw(line));
        ParseOutcome stripped = auto.parse(raw(coloured));
        assertThat(stripped.kind).isEqualTo(plain.kind);
        assertThat(stripped.event.format).isEqualTo(plain.event.format);
        assertThat(stripped.event.level).isEqualTo(plain.event.level);
        assertThat(stripped.event.timestamp).isEqualTo(plain.event.timestamp);
        assertThat(stripped.event.message).isEqualTo(plain.event.message);
        assertThat(stripped.event.fields).isEqualTo(plain.event.fields);
    }

    @Example
    void hostileLinesForTheNewFormatsAreLinear() {
        int n = 200_000;
        String[] lines = {
            "CEF:0|a|b|c|d|e|5|" + "k=v".repeat(n / 3),
            "CEF:0|a|b|c|d|e|5|k=" + "a(=".repeat(n / 3),
            "CEF:0|a|b|c|d|e|5|k=" + " x".repeat(n / 2),
            "CEF:" + "\\|".repeat(n / 2),
            "I0615 11:58:02.104321 1 a.go:1] \"" + "\\\"".repeat(n / 2),
            "I0615 11:58:02.104321 1 a.go:1] \"m\"" + " k=\"v\"".repeat(n / 7),
            "2024/06/15 11:30:00 [error] 1#1: *1 x" + ", client: a".repeat(n / 11),
            "2024/06/15 11:30:00 [error] 1#1: *1 x, client: " + "\"".repeat(n),
            "[Sat Jun 15 11:30:00 2024] [error] " + "[pid 1]".repeat(n / 7),
            "<14>1 2024-06-15T11:00:00Z h a - - [id" + " k = v".repeat(n / 6) + "]",
            "1.2.3.4 - - [15/Jun/2024:11:58:01 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\" 1 0.1 [a] [b]"
                    + " x,".repeat(n / 3),
            "a=b c=d " + "plonk ".repeat(n / 6),
            "\u001B[".repeat(n / 2),
            "\u001B]".repeat(n / 2),
        };
        LogParser roomy = new LogParser(ParserOptions.builder().maxLineChars(1 << 20).build());
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (String line : lines) {
                ParseOutcome outcome = roomy.parse(raw(line));
                assertThat(outcome.reason).as(line.substring(0, 40)).isNotEqualTo(LogParser.REASON_PARSER_ERROR);
            }
        });
    }

    @Provide
    Arbitrary<LogFormat> newFormats() {
        return Arbitraries.of(PRODUCES.keySet());
    }

    @Provide
    Arbitrary<String> formatShaped() {
        Arbitrary<String> pieces = Arbitraries.of(
                "I0615 ", "E20240615 ", "W0101 ", "11:58:02.104321", "   28133 ", "klog.go:70] ", "] ", "\"", "\\",
                "2024/06/15 11:30:00 ", "[error] ", "[emerg] ", "31#31: ", "*1 ", ", client: ", ", server: ",
                ", request: \"GET / HTTP/1.1\"", "[Sat Jun 15 11:30:00.123 2024] ", "[core:alert] ", "[pid 1:tid 2] ",
                "[client 1.2.3.4:5] ", "AH00126: ", ", referer: ", "CEF:", "0|", "|", "\\|", "\\=", "=", " ", "src=",
                "rt=", "1718452740000", "Jun 15 2024 11:57:59", "<134>", "<14>1 ", "Jun 8 11:54:08 ", "[id k= \"v\"]",
                "\u001B[31m", "\u001B[0m", "\u001B]0;t\u0007", "\u001B", "- ", "x", "é", "\uD83D\uDE00", "\u0000");
        return pieces.list().ofMaxSize(30).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<Character> klogLevels() {
        return Arbitraries.of('I', 'W', 'E', 'F');
    }

    @Provide
    Arbitrary<LocalDateTime> times() {
        long from = LocalDateTime.of(2024, 1, 1, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        long to = LocalDateTime.of(2024, 12, 31, 23, 59, 59).toInstant(ZoneOffset.UTC).toEpochMilli();
        return Arbitraries.longs().between(from, to).map(ms -> LocalDateTime.ofInstant(Instant.ofEpochMilli(ms),
                ZoneOffset.UTC).withNano((int) (ms % 1000) * 1_000_000 + 123_000));
    }

    @Provide
    Arbitrary<String> words() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12);
    }

    @Provide
    Arbitrary<String> messages() {
        // Plain messages: a message opening with a quote is a structured klog message, tested by the golden files.
        return Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(60)
                .filter(m -> !m.isBlank() && m.strip().charAt(0) != '"');
    }

    @Provide
    Arbitrary<List<String>> cefValues() {
        Arbitrary<String> value = Arbitraries.strings().withChars("ab =\\\n.:/|").ofMinLength(1).ofMaxLength(20)
                .filter(v -> !v.isBlank() && v.equals(v.strip())); // values are trimmed
        return value.list().ofMinSize(1).ofMaxSize(5);
    }

    @Provide
    Arbitrary<String> plainLines() {
        return Arbitraries.of(
                "2024-06-15 11:59:00.123 ERROR com.example.Billing: charge declined",
                "E0615 11:59:59.000001   28133 reflector.go:138] failed to list pods",
                "2024/06/15 11:45:10 [warn] 2817#2817: *391 an upstream response is buffered",
                "[Sat Jun 15 11:30:00 2024] [error] [client 192.0.2.44] File does not exist: /x",
                "<131>Jun 8 11:54:08 web-2 nginx[312]: upstream timed out",
                "level=warn msg=slow took=1.5s",
                "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /a.gif HTTP/1.0\" 200 2326");
    }

    @Provide
    Arbitrary<String> colours() {
        Arbitrary<String> sgr = Combinators.combine(Arbitraries.integers().between(0, 107),
                Arbitraries.integers().between(0, 255)).as((a, b) -> "\u001B[" + a + ";5;" + b + "m");
        return Arbitraries.oneOf(sgr, Arbitraries.of("\u001B[1m", "\u001B[2K", "\u001B]0;title\u0007",
                "\u001B]8;;http://x\u001B\\", "\u001B(B"));
    }

    private static RawLog raw(String text) {
        return RawLog.fileLine("file:/prop.log", null, 1, text, RECEIVE);
    }
}
