package io.logflow.parse;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logflow.model.LogEvent;
import io.logflow.model.Storable;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.EnumMap;
import java.util.Map;

import static io.logflow.parse.HostileLines.escape;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a line holds, everything the parser gives is storable in PostgreSQL text/jsonb and Elasticsearch, the fields
 * survive a JSON round trip without a NUL escape, and an event says when something had to be replaced.
 */
class StorableOutputPropertiesTest {
    private static final long RECEIVE = 1_718_452_800_000L;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {};

    private final LogParser parser = new LogParser();
    private final Map<LogFormat, LogParser> forced = new EnumMap<>(LogFormat.class);

    @Property(tries = 1500)
    void everyStringOfAnyOutcomeIsStorableAndReplacementsAreFlagged(@ForAll("lines") HostileLines.Line line)
            throws Exception {
        ParseOutcome detected = parser.parse(line.raw(RECEIVE));
        check(detected, line);
        Statistics.label("outcome").collect(line.kind, line.hostile ? "hostile" : "clean",
                detected.kind == ParseOutcome.Kind.EVENT ? detected.event.format : detected.reason);

        LogFormat format = LogFormat.fromConfig(line.kind);
        LogParser forcedParser = forced.computeIfAbsent(format, f -> new LogParser(ParserOptions.builder().format(f).build()));
        check(forcedParser.parse(line.raw(RECEIVE)), line);
    }

    @Property(tries = 5)
    void oneMegabyteValuesAndLongKeysAreStorableToo(@ForAll("hugeLines") HostileLines.Line line) throws Exception {
        LogParser roomy = new LogParser(ParserOptions.builder().maxLineChars(8 << 20).build());
        check(roomy.parse(line.raw(RECEIVE)), line);
    }

    @Provide
    Arbitrary<HostileLines.Line> lines() {
        return HostileLines.lines();
    }

    @Provide
    Arbitrary<HostileLines.Line> hugeLines() {
        return HostileLines.hugeLines(1 << 20);
    }

    private static void check(ParseOutcome outcome, HostileLines.Line line) throws Exception {
        assertThat(outcome).as("%s", line).isNotNull();
        switch (outcome.kind) {
            case FAILURE:
                assertThat(outcome.reason).as("%s", line).isNotBlank().isNotEqualTo(LogParser.REASON_PARSER_ERROR);
                assertStorable("failure reason", outcome.reason, line);
                assertStorable("failure detail", outcome.detail, line);
                return;
            case SKIP:
                assertStorable("skip reason", outcome.reason, line);
                return;
            default:
                break;
        }
        LogEvent e = outcome.event;
        String[][] strings = {
            {"message", e.message}, {"service", e.service}, {"logGroup", e.logGroup}, {"logStream", e.logStream},
            {"traceId", e.traceId}, {"spanId", e.spanId}, {"requestId", e.requestId}, {"sourceRef", e.sourceRef},
            {"routingKey", e.routingKey}, {"format", e.format}, {"eventId", e.eventId},
        };
        for (String[] s : strings) {
            assertStorable(s[0], s[1], line);
        }
        for (Map.Entry<String, String> f : e.fields.entrySet()) {
            assertThat(f.getKey()).as("a field key of %s", line).isNotNull();
            assertStorable("field key", f.getKey(), line);
            assertStorable("field value", f.getValue(), line);
        }

        String json = MAPPER.writeValueAsString(e.fields);
        if (HostileLines.hasNulEscape(json)) {
            throw new AssertionError("NUL escape in " + escape(json) + "; line: " + line);
        }
        assertThat(MAPPER.readValue(json, FIELDS)).as("fields round trip of %s", line).isEqualTo(e.fields);

        if (line.hostile) {
            assertThat(e.fields).as("%s", line).containsEntry(LogFields.SANITIZED, "true");
        } else {
            assertThat(e.fields).as("%s", line).doesNotContainKey(LogFields.SANITIZED);
            if (line.text.indexOf(Storable.REPLACEMENT) < 0) {
                // nothing was replaced: no replacement character anywhere
                for (String[] s : strings) {
                    if (s[1] != null) {
                        assertThat(s[1]).as("%s of %s", s[0], line).doesNotContain("\uFFFD");
                    }
                }
                assertThat(e.fields.toString()).as("fields of %s", line).doesNotContain("\uFFFD");
            }
        }
    }

    private static void assertStorable(String what, String s, HostileLines.Line line) {
        if (!Storable.isStorable(s)) {
            throw new AssertionError(what + " " + escape(s) + " is not storable; line: " + line);
        }
    }
}
