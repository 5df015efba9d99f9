package io.logflow.parse;

import io.logflow.model.RawLog;
import io.logflow.model.Storable;
import io.logflow.parse.redact.RedactionRules;
import io.logflow.parse.redact.Redactor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A line's timestamp text as a scanner accepted it, or an attribute's value {@code Timestamps.parse} took whole, is kept
 * as {@link LogFields#ORIGINAL_TIMESTAMP} without the redaction and storable scans ({@code
 * ParseContext#putTimestampText}). Passing it must change nothing: the event is the one a parser that scans every value
 * gives (a configured pattern that never matches makes it scan).
 */
class TimestampTextPropertiesTest {
    private static final long RECEIVE = Instant.parse("2024-06-15T12:00:00Z").toEpochMilli();
    private static final String[] MONTHS = {
        "Jan", "feb", "MAR", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };
    private final LogParser passing = new LogParser();
    private final LogParser scanning = new LogParser(ParserOptions.builder()
            .redaction(RedactionRules.defaults().withPattern("\\x{10FFFF}never\\x{10FFFF}")).build());
    private final Redactor builtIn = new Redactor(RedactionRules.defaults());

    @Property(tries = 1500)
    void passingTheTimestampTextChangesNothing(@ForAll("linesWithTimestamps") String[] lineAndTimestamp) {
        String line = lineAndTimestamp[0];
        ParseOutcome passed = passing.parse(raw(line));
        ParseOutcome scanned = scanning.parse(raw(line));
        assertThat(passed.kind).as(line).isEqualTo(ParseOutcome.Kind.EVENT);
        String text = passed.event.fields.get(LogFields.ORIGINAL_TIMESTAMP);
        assertThat(text).as(line).isEqualTo(lineAndTimestamp[1]); // so the scanner took all of it, and it was passed
        assertThat(builtIn.redact(text)).isSameAs(text);
        assertThat(Storable.isStorable(text)).isTrue();
        assertThat(passed.event.fields).as(line).isEqualTo(scanned.event.fields);
        assertThat(passed.event.message).isEqualTo(scanned.event.message);
        assertThat(passed.event.timestamp).isEqualTo(scanned.event.timestamp);
    }

    @Example
    void aConfiguredPatternStillMasksTheTimestampText() {
        LogParser withPattern = new LogParser(ParserOptions.builder()
                .redaction(RedactionRules.defaults().withPattern("\\d\\d:\\d\\d:\\d\\d")).build());
        ParseOutcome outcome = withPattern.parse(raw("<134>Jun 15 11:58:02 web-1 sshd[42]: session opened"));
        assertThat(outcome.event.fields).containsEntry(LogFields.ORIGINAL_TIMESTAMP, "Jun 15 [REDACTED]");
    }

    @Example
    void anAttributeCalledLikeTheTimestampTextIsScanned() {
        String secret = "Bearer abcdefghijklmnopqrstuvwxyz";
        ParseOutcome json = passing.parse(raw("{\"timestamp_original\":\"" + secret + "\",\"msg\":\"hi\"}"));
        assertThat(json.event.fields).containsEntry(LogFields.ORIGINAL_TIMESTAMP, "Bearer [REDACTED]");
        ParseOutcome logfmt = passing.parse(raw("ts=2024-06-15T11:00:00Z timestamp_original=\"" + secret + "\""));
        assertThat(logfmt.event.fields.values()).noneMatch(v -> v.contains("abcdefghijklmnop"));
    }

    /** A line of each format that scans its timestamp, with the timestamp text it must keep. */
    @Provide
    Arbitrary<String[]> linesWithTimestamps() {
        Arbitrary<String> message = Arbitraries.of("session opened", "password=hunter2 ok",
                "Authorization: Bearer abcdefghijklmnopqrstuvwxyz", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
                "key AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "nul \u0000 and \uD800 lone",
                "at 11:58:02 token: abc");
        Arbitrary<String> attribute = Arbitraries.oneOf(iso(), apacheTime(), Arbitraries.of("1718452800",
                "1718452800123", "1718452800.5", "1718452800123456"))
                .filter(t -> t.length() <= 64) // Timestamps.parse reads no longer value
                .map(t -> t.startsWith("17") ? t : " " + t + " ");
        Arbitrary<Function<String, String[]>> shapes = Combinators.combine(iso(), syslogTime(), apacheTime(),
                attribute, Arbitraries.integers().between(0, 10)).as((iso, sys, apache, attr, shape) -> m -> {
                    switch (shape) {
                        case 0: return new String[] {iso + " ERROR com.example.App: " + m, iso};
                        case 1: return new String[] {"[" + iso + "] WARN " + m, iso};
                        case 2: return new String[] {"<134>" + sys + " web-1 sshd[42]: " + m, sys};
                        case 3: return new String[] {"<165>1 " + iso + " host app 7 ID47 [id k=\"v\"] " + m, iso};
                        case 4: return new String[] {"10.0.0.1 - - [" + apache + "] \"GET /x HTTP/1.1\" 200 5 \""
                                + m + "\" \"curl\"", apache};
                        case 5: return new String[] {iso + "\t8f507cfc-1111-4000-8000-000000000042\tINFO\t" + m, iso};
                        case 6: return new String[] {"2024/06/15 11:45:10 [warn] 2817#2817: *391 " + m,
                                "2024/06/15 11:45:10"};
                        case 7: return new String[] {"E0615 11:59:59.000001   28133 reflector.go:138] " + m,
                                "0615 11:59:59.000001"};
                        case 8: return new String[] {"{\"time\":\"" + attr + "\",\"msg\":\"" + jsonEscaped(m)
                                + "\"}", attr};
                        case 9: return new String[] {"ts=\"" + attr + "\" level=info msg=\"" + m + "\"", attr};
                        default: return new String[] {sys + " " + m, sys};
                    }
                });
        return Combinators.combine(shapes, message).as(Function::apply);
    }

    /** ISO-8601 as {@code Timestamps.scanIso} takes it: separators, fraction of any length, offset forms. */
    private static Arbitrary<String> iso() {
        Arbitrary<String> date = Combinators.combine(Arbitraries.integers().between(1, 12),
                Arbitraries.integers().between(1, 28), Arbitraries.of("-", "/"))
                .as((mo, d, sep) -> String.format("2024%s%02d%s%02d", sep, mo, sep, d));
        Arbitrary<String> time = Combinators.combine(Arbitraries.of("T", " ", "t"),
                Arbitraries.integers().between(0, 23), Arbitraries.integers().between(0, 59),
                Arbitraries.integers().between(0, 60))
                .as((t, h, mi, s) -> String.format("%s%02d:%02d:%02d", t, h, mi, s));
        Arbitrary<String> fraction = Arbitraries.oneOf(Arbitraries.just(""),
                Combinators.combine(Arbitraries.of(".", ","), Arbitraries.strings().numeric().ofMinLength(1)
                        .ofMaxLength(60)).as((sep, digits) -> sep + digits));
        Arbitrary<String> offset = Arbitraries.of("", "Z", "z", "+02:00", "-0530", "+01", " UTC");
        return Combinators.combine(date, time, fraction, offset).as((d, t, f, o) -> d + t + f + o);
    }

    /** RFC 3164's date: padded with a space or a zero, or not at all; an optional fraction. */
    private static Arbitrary<String> syslogTime() {
        return Combinators.combine(Arbitraries.of(MONTHS), Arbitraries.integers().between(1, 28),
                Arbitraries.of("%2d", "%02d", "%d"), Arbitraries.integers().between(0, 86_399),
                Arbitraries.of("", ".5", ".123456"))
                .as((mo, d, pad, s, f) -> String.format("%s " + pad + " %02d:%02d:%02d%s", mo, d, s / 3600,
                        s / 60 % 60, s % 60, f));
    }

    /** Apache's {@code 15/Jun/2024:11:23:04 +0000}, the offset optional. */
    private static Arbitrary<String> apacheTime() {
        return Combinators.combine(Arbitraries.integers().between(1, 28), Arbitraries.of(MONTHS),
                Arbitraries.integers().between(0, 86_399), Arbitraries.of("", " +0000", " -0700", " +05:30"))
                .as((d, mo, s, o) -> String.format("%02d/%s/2024:%02d:%02d:%02d%s", d, mo, s / 3600, s / 60 % 60,
                        s % 60, o));
    }

    private static String jsonEscaped(String s) {
        return s.replace("\u0000", "\\u0000").replace("\uD800", "\\ud800");
    }

    private static RawLog raw(String text) {
        return RawLog.fileLine("file:/prop.log", null, 1, text, RECEIVE);
    }
}
