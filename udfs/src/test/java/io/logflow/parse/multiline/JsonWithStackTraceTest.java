package io.logflow.parse.multiline;

import io.logflow.model.Level;
import io.logflow.model.RawLog;
import io.logflow.parse.LogFields;
import io.logflow.parse.LogParser;
import io.logflow.parse.ParseOutcome;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A JSON record followed by the lines of a stack trace, joined by the multi-line joiner and then parsed. */
class JsonWithStackTraceTest {
    private static final long RECEIVE = 1_718_452_800_000L;
    private final LogParser parser = new LogParser();

    @Test
    void jsonLineWithAStackTraceBecomesOneEventWithTheTraceAsAField() {
        String json = "{\"level\":\"error\",\"message\":\"payment failed\"}";
        String frame = "\tat com.example.Checkout.pay(Checkout.java:42)";

        List<RawLog> records = join(json + "\n", frame + "\n", "{\"level\":\"info\",\"message\":\"next\"}");

        assertThat(records).hasSize(2);
        assertThat(records.get(0).text).isEqualTo(json + "\n" + frame);
        ParseOutcome outcome = parser.parse(records.get(0));
        assertThat(outcome.kind).as("%s: %s", outcome.reason, outcome.detail).isEqualTo(ParseOutcome.Kind.EVENT);
        assertThat(outcome.event.level).isEqualTo(Level.ERROR);
        assertThat(outcome.event.message).isEqualTo("payment failed");
        assertThat(outcome.event.format).isEqualTo(LogFields.FORMAT_JSON);
        assertThat(outcome.event.fields).containsEntry(LogFields.STACK_TRACE, frame)
                .doesNotContainKey(LogFields.SANITIZED);
        assertThat(outcome.event.eventId).isEqualTo("line-1");

        ParseOutcome next = parser.parse(records.get(1));
        assertThat(next.event.message).isEqualTo("next");
        assertThat(next.event.fields).doesNotContainKey(LogFields.STACK_TRACE);
    }

    @Test
    void aBrokenJsonLineWithAStackTraceStillFailsAsInvalidJson() {
        List<RawLog> records = join("{\"level\":\"error\",\"message\":\"payment failed\"",
                "\tat com.example.Checkout.pay(Checkout.java:42)");

        assertThat(records).hasSize(1);
        ParseOutcome outcome = parser.parse(records.get(0));
        assertThat(outcome.kind).isEqualTo(ParseOutcome.Kind.FAILURE);
        assertThat(outcome.reason).isEqualTo(LogParser.REASON_INVALID_JSON);
    }

    @Test
    void aChainedTraceAfterAnObjectWithItsOwnTraceIsAppendedToIt() {
        String json = "{\"level\":\"error\",\"msg\":\"payment failed\",\"error\":{\"stack_trace\":"
                + "\"java.lang.IllegalStateException: card declined\"}}";
        String[] trace = {
            "\tat com.example.Checkout.pay(Checkout.java:42)",
            "Caused by: java.io.IOException: timeout",
            "\t... 1 more",
        };

        List<RawLog> records = join(json, trace[0], trace[1], trace[2]);

        assertThat(records).hasSize(1);
        ParseOutcome outcome = parser.parse(records.get(0));
        assertThat(outcome.kind).isEqualTo(ParseOutcome.Kind.EVENT);
        assertThat(outcome.event.fields).containsEntry(LogFields.STACK_TRACE,
                "java.lang.IllegalStateException: card declined\n" + String.join("\n", trace));
    }

    private List<RawLog> join(String... lines) {
        MultilineJoiner joiner = new MultilineJoiner();
        List<RawLog> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            RawLog raw = RawLog.fileLine("file:/app.log", null, i + 1, lines[i], RECEIVE);
            raw.eventId = "line-" + (i + 1);
            out.addAll(joiner.offer(raw));
        }
        out.addAll(joiner.flush());
        return out;
    }
}
