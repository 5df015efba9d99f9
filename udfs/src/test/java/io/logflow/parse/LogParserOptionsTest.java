package io.logflow.parse;

import io.logflow.model.Level;
import io.logflow.model.RawLog;
import io.logflow.model.SourceKind;
import io.logflow.parse.redact.RedactionRules;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogParserOptionsTest {
    private static final long RECEIVE = 1_718_452_800_000L; // 2024-06-15T12:00:00Z

    @Test
    void longestRoutingKeyPrefixChoosesTheForcedFormat() {
        ParserOptions options = ParserOptions.builder()
                .formatFor("acct/", LogFormat.TEXT)
                .formatFor("acct/json-group", LogFormat.JSON)
                .build();
        assertThat(options.formatFor("acct/json-group/x")).isEqualTo(LogFormat.JSON);
        assertThat(options.formatFor("acct/other")).isEqualTo(LogFormat.TEXT);
        assertThat(options.formatFor("elsewhere")).isEqualTo(LogFormat.AUTO);
        assertThat(options.formatFor(null)).isEqualTo(LogFormat.AUTO);
    }

    @Test
    void forcedTextKeepsJsonLookingLinesAsText() {
        LogParser parser = new LogParser(ParserOptions.builder().formatFor("acct/", LogFormat.TEXT).build());
        ParseOutcome outcome = parser.parse(record("acct/g", "{\"msg\":\"hi\"}"));
        assertThat(outcome.event.format).isEqualTo(LogFields.FORMAT_TEXT);
        assertThat(outcome.event.message).isEqualTo("{\"msg\":\"hi\"}");
        ParseOutcome auto = parser.parse(record("other/g", "{\"msg\":\"hi\"}"));
        assertThat(auto.event.format).isEqualTo(LogFields.FORMAT_JSON);
    }

    @Test
    void attributesBeyondTheMaximumAreDroppedAndCounted() {
        LogParser parser = new LogParser(ParserOptions.builder().maxFields(3).build());
        ParseOutcome outcome = parser.parse(record("k", "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"msg\":\"m\"}"));
        // a b c fill the 3 slots; d and e are dropped; msg, coming last, still becomes the message. logflow's own
        // notes (dropped count, where the time came from: the line has none) are outside the limit.
        assertThat(outcome.event.fields)
                .containsOnlyKeys("a", "b", "c", LogFields.DROPPED_FIELDS, LogFields.TIMESTAMP_SOURCE)
                .containsEntry(LogFields.DROPPED_FIELDS, "2");
        assertThat(outcome.event.message).isEqualTo("m");
    }

    @Test
    void longAttributeValuesAreCutButTheMessageIsNot() {
        LogParser parser = new LogParser(ParserOptions.builder().maxValueChars(4).build());
        ParseOutcome outcome = parser.parse(record("k", "{\"msg\":\"a long message\",\"note\":\"abcdefgh\"}"));
        assertThat(outcome.event.fields).containsEntry("note", "abcd");
        assertThat(outcome.event.message).isEqualTo("a long message");
    }

    @Test
    void aSourceReadErrorBecomesAFailureWithItsReason() {
        RawLog raw = record("k", "partial");
        raw.error = "line_too_long";
        raw.errorDetail = "cut at 1 MiB";
        ParseOutcome outcome = new LogParser().parse(raw);
        assertThat(outcome.kind).isEqualTo(ParseOutcome.Kind.FAILURE);
        assertThat(outcome.reason).isEqualTo("line_too_long");
        assertThat(outcome.detail).isEqualTo("cut at 1 MiB");
    }

    @Test
    void redactionCanBeExtendedOrSwitchedOff() {
        String line = "{\"msg\":\"ssn 123-45-6789\",\"ssn\":\"123-45-6789\",\"password\":\"p\"}";
        ParseOutcome extended = new LogParser(ParserOptions.builder()
                .redaction(RedactionRules.defaults().withKeys("ssn").withPattern("\\b\\d{3}-\\d{2}-\\d{4}\\b"))
                .build()).parse(record("k", line));
        assertThat(extended.event.message).isEqualTo("ssn [REDACTED]");
        assertThat(extended.event.fields).containsEntry("ssn", "[REDACTED]").containsEntry("password", "[REDACTED]");

        ParseOutcome none = new LogParser(ParserOptions.builder().redaction(RedactionRules.none()).build())
                .parse(record("k", line));
        assertThat(none.event.fields).containsEntry("password", "p");
    }

    @Test
    void eventCarriesTheRecordsCoordinatesAndFallsBackToTheSourceTime() {
        RawLog raw = new RawLog();
        raw.source = SourceKind.CLOUDWATCH;
        raw.owner = "123456789012";
        raw.logGroup = "/aws/lambda/checkout";
        raw.logStream = "2024/06/15/[$LATEST]abc";
        raw.cloudwatchId = "3719";
        raw.eventId = "evt-1";
        raw.routingKey = "123456789012//aws/lambda/checkout";
        raw.receiveTime = RECEIVE;
        raw.sourceTime = RECEIVE - 5000;
        raw.text = "processing order 42\n";
        ParseOutcome outcome = new LogParser().parse(raw);
        assertThat(outcome.event.eventId).isEqualTo("evt-1");
        assertThat(outcome.event.timestamp).isEqualTo(RECEIVE - 5000);
        assertThat(outcome.event.ingestTime).isEqualTo(RECEIVE);
        assertThat(outcome.event.service).isEqualTo("checkout");
        assertThat(outcome.event.logStream).isEqualTo("2024/06/15/[$LATEST]abc");
        assertThat(outcome.event.sourceRef).isEqualTo(raw.sourceRef());
        assertThat(outcome.event.message).isEqualTo("processing order 42");
        assertThat(outcome.event.level).isEqualTo(Level.INFO);
    }

    @Test
    void implausibleSourceTimeFallsBackToTheReceiveTime() {
        RawLog raw = new RawLog();
        raw.source = SourceKind.CLOUDWATCH;
        raw.owner = "123456789012";
        raw.logGroup = "/aws/lambda/checkout";
        raw.logStream = "2024/06/15/[$LATEST]abc";
        raw.cloudwatchId = "3719";
        raw.eventId = "evt-1";
        raw.routingKey = "123456789012//aws/lambda/checkout";
        raw.receiveTime = RECEIVE;
        raw.sourceTime = 9_000_000_000_000_000L; // far beyond any database's range
        raw.text = "processing order 42\n";
        ParseOutcome outcome = new LogParser().parse(raw);
        assertThat(outcome.event.timestamp).isEqualTo(RECEIVE);
        assertThat(outcome.event.fields).containsEntry("timestamp_source", "ingest");
    }

    @Test
    void optionsSurviveJavaSerialisationAsAFlinkFunctionFieldWould() throws Exception {
        ParserOptions options = ParserOptions.builder()
                .formatFor("acct/", LogFormat.LOGFMT)
                .maxFields(9)
                .redaction(RedactionRules.defaults().withKeys("ssn").withPattern("\\d{3}-\\d{4}"))
                .build();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(options);
        }
        ParserOptions copy;
        try (java.io.ObjectInputStream in =
                new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (ParserOptions) in.readObject();
        }
        assertThat(copy.formatFor("acct/x")).isEqualTo(LogFormat.LOGFMT);
        assertThat(copy.maxFields).isEqualTo(9);
        ParseOutcome outcome = new LogParser(copy).parse(record("other", "{\"msg\":\"call 555-1234\",\"ssn\":\"1\"}"));
        assertThat(outcome.event.message).isEqualTo("call [REDACTED]");
        assertThat(outcome.event.fields).containsEntry("ssn", "[REDACTED]");
    }

    @Test
    void theLinesOwnServiceWinsOverTheOneTheSourceAttributes() {
        RawLog named = record("k", "{\"msg\":\"m\",\"service\":\"billing\"}");
        named.service = "from-path";
        RawLog unnamed = record("k", "plain line");
        unnamed.service = "from-path";
        LogParser parser = new LogParser();
        assertThat(parser.parse(named).event.service).isEqualTo("billing");
        assertThat(parser.parse(unnamed).event.service).isEqualTo("from-path");
    }

    @Test
    void invalidOptionsFailWithTheirName() {
        assertThatThrownBy(() -> ParserOptions.builder().maxFields(0)).hasMessageContaining("maxFields");
        assertThatThrownBy(() -> RedactionRules.defaults().withPattern("(")).isInstanceOf(RuntimeException.class);
        assertThat(LogFormat.fromConfig("vpc-flow")).isEqualTo(LogFormat.VPC_FLOW);
    }

    private static RawLog record(String routingKey, String text) {
        RawLog raw = RawLog.fileLine("file:/t.log", null, 7, text, RECEIVE);
        raw.routingKey = routingKey;
        return raw;
    }
}
