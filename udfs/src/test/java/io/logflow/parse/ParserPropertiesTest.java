package io.logflow.parse;

import io.logflow.model.RawLog;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Whatever the input, every parser gives a verdict, fast, and never throws. */
class ParserPropertiesTest {
    private static final long RECEIVE = Instant.parse("2024-06-15T12:00:00Z").toEpochMilli();
    private final LogParser parser = new LogParser();

    @Property(tries = 2000)
    void anyStringGivesAVerdict(@ForAll String text) {
        assertVerdict(parser.parse(raw(text)));
    }

    @Property(tries = 3000)
    void logShapedNoiseGivesAVerdict(@ForAll("logShaped") String text) {
        assertVerdict(parser.parse(raw(text)));
    }

    @Property(tries = 500)
    void everyForcedFormatGivesAVerdict(@ForAll("logShaped") String text, @ForAll LogFormat format) {
        LogParser forced = new LogParser(ParserOptions.builder().format(format).build());
        assertVerdict(forced.parse(raw(text)));
    }

    @Property(tries = 1000)
    void invalidUtf8GivesAVerdict(@ForAll @Size(max = 300) byte[] bytes) {
        // What a source hands over after decoding broken UTF-8: replacement characters.
        assertVerdict(parser.parse(raw(new String(bytes, StandardCharsets.UTF_8))));
        // And lone surrogates, which a String can hold but UTF-8 cannot.
        assertVerdict(parser.parse(raw("{\"msg\":\"\uD800" + new String(bytes, StandardCharsets.ISO_8859_1) + "\"}")));
    }

    @Property(tries = 300)
    void anySecretValueIsRedactedWherever(@ForAll @StringLength(min = 8, max = 40) String secretChars) {
        String secret = "S3" + secretChars.replaceAll("[^A-Za-z0-9]", "x") + "q9";
        String[] lines = {
            "{\"msg\":\"login\",\"password\":\"" + secret + "\"}",
            "{\"msg\":\"call\",\"req\":{\"headers\":{\"cookie\":\"sid=" + secret + "; lang=en\"}}}",
            "level=info msg=x access_token=" + secret,
            "2024-06-15T12:00:00Z INFO calling with Authorization: Bearer " + secret,
            "sending Bearer " + secret + " upstream",
            "<14>1 2024-06-15T11:00:00Z host app - - - refresh_token=" + secret,
        };
        for (String line : lines) {
            ParseOutcome outcome = parser.parse(raw(line));
            assertThat(outcome.kind).as(line).isEqualTo(ParseOutcome.Kind.EVENT);
            assertThat(outcome.event.message).as(line).doesNotContain(secret);
            assertThat(outcome.event.fields.values()).as(line).noneMatch(v -> v != null && v.contains(secret));
        }
    }

    @Property(tries = 1000)
    void isoTimestampsParseToTheInstantJavaTimeReads(@ForAll("instants") LocalDateTime t) {
        Instant expected = t.toInstant(ZoneOffset.UTC);
        String iso = DateTimeFormatter.ISO_INSTANT.format(expected);
        assertThat(Timestamps.parse(iso)).as(iso).isEqualTo(expected.toEpochMilli());
        String withOffset = t.atOffset(ZoneOffset.ofHours(-7)).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        assertThat(Timestamps.parse(withOffset)).as(withOffset)
                .isEqualTo(t.atOffset(ZoneOffset.ofHours(-7)).toInstant().toEpochMilli());
        String apache = t.atOffset(ZoneOffset.ofHoursMinutes(5, 30))
                .format(DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH));
        assertThat(Timestamps.parse(apache)).as(apache)
                .isEqualTo(t.withNano(0).atOffset(ZoneOffset.ofHoursMinutes(5, 30)).toInstant().toEpochMilli());
    }

    @Example
    void aOneMegabyteLineIsRefusedByDefaultAndParsedWhenAllowed() {
        String big = "x".repeat(1 << 20);
        String[] lines = {
            big,
            "{\"msg\":\"" + big + "\"}",
            "level=info msg=\"" + big + "\"",
            "2024-06-15T12:00:00Z ERROR " + big,
            "[".repeat(1 << 20),
            "{\"".repeat(1 << 19),
            "a=".repeat(1 << 19),
            "Bearer ".repeat(150_000),
        };
        LogParser roomy = new LogParser(ParserOptions.builder().maxLineChars(4 << 20).build());
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (String line : lines) {
                ParseOutcome refused = parser.parse(raw(line));
                assertThat(refused.kind).isEqualTo(ParseOutcome.Kind.FAILURE);
                assertThat(refused.reason).isEqualTo(LogParser.REASON_LINE_TOO_LONG);
                assertVerdict(roomy.parse(raw(line)));
            }
        });
        ParseOutcome json = roomy.parse(raw("{\"msg\":\"" + big + "\"}"));
        assertThat(json.event.message).hasSize(1 << 20);
    }

    @Example
    void deeplyNestedJsonIsFlattenedToTheDepthLimitOrRefused() {
        int depth = 40;
        String nested = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        ParseOutcome outcome = parser.parse(raw(nested));
        assertThat(outcome.kind).isEqualTo(ParseOutcome.Kind.EVENT);
        // 16 levels are flattened; the 16th key holds the rest as JSON text.
        String key = String.join(".", java.util.Collections.nCopies(ParserOptions.DEFAULT_MAX_DEPTH, "a"));
        int rest = depth - ParserOptions.DEFAULT_MAX_DEPTH;
        assertThat(outcome.event.fields).containsEntry(key, "{\"a\":".repeat(rest) + "1" + "}".repeat(rest));

        String tooDeep = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
        ParseOutcome refused = parser.parse(raw(tooDeep));
        assertThat(refused.kind).isEqualTo(ParseOutcome.Kind.FAILURE);
        assertThat(refused.reason).isEqualTo(LogParser.REASON_INVALID_JSON);
        String deepArrays = "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertVerdict(parser.parse(raw(deepArrays)));
    }

    @Provide
    Arbitrary<String> logShaped() {
        Arbitrary<String> pieces = Arbitraries.of(
                "{", "}", "[", "]", "\"", "\\", ":", "=", " ", "\t", "\n", "<", ">", "-", ".", ",", ";", "/",
                "2024-06-15T12:00:00.123Z", "2024-02-30 25:61:00", "Oct 11 22:14:15", "10/Oct/2000:13:55:36 -0700",
                "<34>", "<165>1 ", "START RequestId: ", "REPORT RequestId: ", "Duration: ", "2 ", "eni-1 ",
                "\"msg\"", "\"level\"", "30", "ERROR", "warn", "password", "cookie", "Bearer ", "eyJ", "level=",
                "msg=\"", "[exampleSDID@1 a=\"b\"]", "8f507cfc-0000-4000-8000-000000000001", "\"GET / HTTP/1.1\"",
                "1718452800123", "é", "\uFFFD", "\uD83D\uDE00", "\u0000");
        return pieces.list().ofMaxSize(40).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<LocalDateTime> instants() {
        long from = LocalDateTime.of(1980, 1, 2, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        long to = LocalDateTime.of(2199, 12, 30, 23, 59).toInstant(ZoneOffset.UTC).toEpochMilli();
        return Arbitraries.longs().between(from, to)
                .map(ms -> LocalDateTime.ofInstant(Instant.ofEpochMilli(ms), ZoneOffset.UTC));
    }

    private static void assertVerdict(ParseOutcome outcome) {
        assertThat(outcome).isNotNull();
        switch (outcome.kind) {
            case EVENT:
                assertThat(outcome.event).isNotNull();
                assertThat(outcome.event.level).isNotNull();
                assertThat(outcome.event.format).isNotNull();
                assertThat(outcome.event.message).isNotNull();
                assertThat(outcome.event.fields).isNotNull();
                assertThat(outcome.event.timestamp).isNotEqualTo(Timestamps.NONE);
                break;
            case FAILURE:
                assertThat(outcome.reason).isNotBlank();
                assertThat(outcome.reason).isNotEqualTo(LogParser.REASON_PARSER_ERROR);
                break;
            default:
                assertThat(outcome.reason).isNotBlank();
        }
    }

    private static RawLog raw(String text) {
        RawLog raw = RawLog.fileLine("file:/prop.log", null, 1, text, RECEIVE);
        return raw;
    }
}
