package io.logflow.parse;

import io.logflow.model.LogEvent;
import io.logflow.model.RawLog;
import io.logflow.model.SourceKind;
import io.logflow.model.Storable;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every string the parser gives is storable, and an event says when one had to be changed to be. */
class StorableEventsTest {
    private static final long RECEIVE = 1_718_452_800_000L;
    private final LogParser parser = new LogParser();

    @Test
    void backslashU0000TextInAWindowsPathIsKeptAsWrittenAndNotFlagged() {
        String line = "{\"level\":\"info\",\"message\":\"windows path C:\\\\u0000dir\",\"path\":\"C:\\\\u0000dir\"}";

        ParseOutcome outcome = parser.parse(raw(line));

        assertThat(outcome.event.message).isEqualTo("windows path C:\\u0000dir");
        assertThat(outcome.event.fields).containsEntry("path", "C:\\u0000dir").doesNotContainKey(LogFields.SANITIZED);
    }

    @Test
    void nulEscapesInMessageAndKeyBecomeReplacementCharactersAndTheEventIsFlagged() {
        String line = "{\"level\":\"warn\",\"message\":\"nul escape \\u0000 here\",\"k\\u0000ey\":\"v\"}";

        ParseOutcome outcome = parser.parse(raw(line));

        assertThat(outcome.event.message).isEqualTo("nul escape \uFFFD here");
        assertThat(outcome.event.fields).containsEntry("k\uFFFDey", "v").containsEntry(LogFields.SANITIZED, "true")
                .doesNotContainKey("k\u0000ey");
    }

    @Test
    void identifiersLongerThanAnIndexRowAreCutAndTheCutIsRecorded() {
        String longId = "t".repeat(LogFields.MAX_IDENTIFIER_CHARS - 1) + "\uD83D\uDE00" + "x".repeat(10_000);
        String line = "{\"message\":\"m\",\"trace_id\":\"" + longId + "\",\"service\":\"" + "s".repeat(600)
                + "\",\"request_id\":\"r-1\"}";

        LogEvent event = parser.parse(raw(line)).event;

        assertThat(event.traceId).hasSize(LogFields.MAX_IDENTIFIER_CHARS - 1); // the emoji is not split
        assertThat(event.service).hasSize(LogFields.MAX_IDENTIFIER_CHARS);
        assertThat(event.requestId).isEqualTo("r-1");
        assertThat(event.fields).containsEntry(LogFields.TRUNCATED, "service,trace_id");
        assertThat(parser.parse(raw("{\"message\":\"m\",\"trace_id\":\"t-1\"}")).event.fields)
                .doesNotContainKey(LogFields.TRUNCATED);
    }

    @Test
    void everyCoreAttributeIsMadeStorable() {
        String line = "{\"msg\":\"m\\ud800\",\"service\":\"s\\u0000\",\"trace_id\":\"t\\udc00\",\"span_id\":\"x\\u0000\","
                + "\"request_id\":\"r\\ud800\"}";
        RawLog raw = raw(line);
        raw.logGroup = "/aws/lambda/g\u0000";
        raw.logStream = "stream\uD800";
        raw.routingKey = "key\uDC00";
        raw.path = "file:/up\u0000load.log";

        ParseOutcome outcome = parser.parse(raw);

        assertThat(outcome.event.message).isEqualTo("m\uFFFD");
        assertThat(outcome.event.service).isEqualTo("s\uFFFD");
        assertThat(outcome.event.traceId).isEqualTo("t\uFFFD");
        assertThat(outcome.event.spanId).isEqualTo("x\uFFFD");
        assertThat(outcome.event.requestId).isEqualTo("r\uFFFD");
        assertThat(outcome.event.logGroup).isEqualTo("/aws/lambda/g\uFFFD");
        assertThat(outcome.event.logStream).isEqualTo("stream\uFFFD");
        assertThat(outcome.event.routingKey).isEqualTo("key\uFFFD");
        assertThat(outcome.event.sourceRef).isEqualTo("file:/up\uFFFDload.log#L1");
        assertThat(outcome.event.fields).containsEntry(LogFields.SANITIZED, "true");
    }

    @Test
    void aServiceTakenFromTheLogGroupIsStorable() {
        RawLog raw = raw("plain words");
        raw.logGroup = "/aws/lambda/fn\uD800";

        ParseOutcome outcome = parser.parse(raw);

        assertThat(outcome.event.service).isEqualTo("fn\uFFFD");
        assertThat(outcome.event.fields).containsEntry(LogFields.SANITIZED, "true");
    }

    @Test
    void keysThatBecomeEqualKeepEveryValueWhateverTheirOrderInTheLine() {
        // Three keys that clean to "a\uFFFD": the storable one keeps its name, the others are numbered in the order of
        // their original text ("a\u0000" < "a\uD800").
        String[] orders = {
            "{\"a\\u0000\":\"nul\",\"a\\ud800\":\"surrogate\",\"a\\ufffd\":\"clean\"}",
            "{\"a\\ufffd\":\"clean\",\"a\\ud800\":\"surrogate\",\"a\\u0000\":\"nul\"}",
            "{\"a\\ud800\":\"surrogate\",\"a\\ufffd\":\"clean\",\"a\\u0000\":\"nul\"}",
        };
        for (String line : orders) {
            Map<String, String> fields = parser.parse(raw(line)).event.fields;
            assertThat(fields).as(line)
                    .containsEntry("a\uFFFD", "clean")
                    .containsEntry("a\uFFFD#2", "nul")
                    .containsEntry("a\uFFFD#3", "surrogate")
                    .containsEntry(LogFields.SANITIZED, "true")
                    .hasSize(5); // and timestamp_source
        }
    }

    @Test
    void aNumberedNameThatIsTakenIsSkipped() {
        Map<String, String> fields =
                parser.parse(raw("{\"k\\u0000\":\"nul\",\"k\\ufffd\":\"clean\",\"k\\ufffd#2\":\"taken\"}")).event.fields;

        assertThat(fields).containsEntry("k\uFFFD", "clean").containsEntry("k\uFFFD#2", "taken")
                .containsEntry("k\uFFFD#3", "nul");
    }

    @Test
    void aValueCutToTheMaximumNeverEndsInHalfASurrogatePairAndIsNotFlagged() {
        LogParser small = new LogParser(ParserOptions.builder().maxValueChars(5).build());

        ParseOutcome outcome = small.parse(raw("{\"msg\":\"m\",\"v\":\"abcd\uD83D\uDE00\",\"w\":\"abc\uD83D\uDE00\"}"));

        assertThat(outcome.event.fields).containsEntry("v", "abcd").containsEntry("w", "abc\uD83D\uDE00")
                .doesNotContainKey(LogFields.SANITIZED);
    }

    @Test
    void aCleanEventKeepsTheStringsItWasGiven() {
        RawLog raw = raw("2024-06-15 12:00:00 ERROR boom");
        raw.logGroup = "/aws/lambda/fn";
        raw.logStream = "2024/06/15/[$LATEST]abc";

        ParseOutcome outcome = parser.parse(raw);

        assertThat(outcome.event.logGroup).isSameAs(raw.logGroup);
        assertThat(outcome.event.logStream).isSameAs(raw.logStream);
        assertThat(outcome.event.routingKey).isSameAs(raw.routingKey);
        assertThat(outcome.event.fields).doesNotContainKey(LogFields.SANITIZED);
    }

    @Test
    void failureDetailsAreStorable() {
        RawLog broken = raw(null);
        broken.error = "unreadable\u0000";
        broken.errorDetail = "bad bytes \u0000 and \uD800";
        ParseOutcome fromSource = parser.parse(broken);
        assertThat(fromSource.kind).isEqualTo(ParseOutcome.Kind.FAILURE);
        assertThat(fromSource.reason).isEqualTo("unreadable\uFFFD");
        assertThat(fromSource.detail).isEqualTo("bad bytes \uFFFD and \uFFFD");

        ParseOutcome rawNulInJson = parser.parse(raw("{\"msg\":\"a\u0000b\uD800\"}"));
        assertThat(rawNulInJson.reason).isEqualTo(LogParser.REASON_INVALID_JSON);
        assertThat(Storable.isStorable(rawNulInJson.detail)).as(rawNulInJson.detail).isTrue();
    }

    @Test
    void theSourceReferenceIsStorableWhicheverCoordinateIsNot() throws IllegalAccessException {
        // Every string field of RawLog in turn, for every source kind: the parser proves the reference storable from
        // its coordinates, so one that the reference shows and the parser did not check would show here.
        for (SourceKind kind : SourceKind.values()) {
            for (Field field : RawLog.class.getFields()) {
                if (field.getType() != String.class || Modifier.isStatic(field.getModifiers())
                        || field.getName().equals("text") || field.getName().startsWith("error")) {
                    continue;
                }
                for (String bad : new String[] {"a\u0000b", "a\uD800b", "a\uDC00"}) {
                    LogParser fresh = new LogParser();
                    RawLog clean = coordinates(kind);
                    fresh.parse(clean); // the clean instances are now known
                    RawLog raw = coordinates(kind);
                    copyCoordinates(clean, raw); // the same instances, one of them replaced
                    field.set(raw, bad);
                    for (int time = 0; time < 2; time++) { // the unclean instance seen twice is still scanned
                        ParseOutcome outcome = fresh.parse(raw);
                        String expected = Storable.text(raw.sourceRef());
                        assertThat(outcome.event.sourceRef).as(kind + " " + field.getName()).isEqualTo(expected);
                        if (!expected.equals(raw.sourceRef())) {
                            assertThat(outcome.event.fields).as(kind + " " + field.getName())
                                    .containsEntry(LogFields.SANITIZED, "true");
                        }
                    }
                    ParseOutcome again = fresh.parse(clean);
                    assertThat(again.event.sourceRef).isEqualTo(clean.sourceRef());
                    assertThat(again.event.fields).doesNotContainKey(LogFields.SANITIZED);
                }
            }
        }
    }

    /** A record of the kind with every string coordinate set, storable. */
    private static RawLog coordinates(SourceKind kind) {
        RawLog raw = new RawLog();
        raw.source = kind;
        raw.text = "plain words";
        raw.receiveTime = RECEIVE;
        raw.eventId = "e";
        raw.routingKey = "k";
        raw.owner = "123456789012";
        raw.logGroup = "/ecs/app";
        raw.logStream = "stream\uD83D\uDE00";
        raw.cloudwatchId = "3721";
        raw.path = "s3://bucket/\u00e9t\u00e9.log";
        raw.version = "v1";
        raw.entry = "inner.log";
        raw.line = 7;
        raw.topic = "logs";
        raw.service = "svc";
        return raw;
    }

    private static void copyCoordinates(RawLog from, RawLog to) throws IllegalAccessException {
        for (Field field : RawLog.class.getFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                field.set(to, field.get(from));
            }
        }
    }

    private static RawLog raw(String text) {
        RawLog raw = RawLog.fileLine("file:/app.log", null, 1, text, RECEIVE);
        raw.source = SourceKind.UPLOAD;
        return raw;
    }
}
