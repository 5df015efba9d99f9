package io.logflow.pipeline;

import io.logflow.model.EventIds;
import io.logflow.model.LogEvent;
import io.logflow.model.RawLog;
import io.logflow.model.SourceKind;
import io.logflow.parse.ParserOptions;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The multi-line join of CloudWatch events in the parse step: per log stream, in the state of its routing key. The
 * streams here are of one log group, so of one routing key, as a Lambda's are.
 */
class MultilineJoinTest {
    private static final long FLUSH_MS = 2_000;

    private KeyedOneInputStreamOperatorTestHarness<String, List<RawLog>, LogEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
        harness.setProcessingTime(1_000);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, List<RawLog>, LogEvent> newHarness()
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, List<RawLog>, LogEvent> h =
                new KeyedOneInputStreamOperatorTestHarness<>(new ParseOperator(new ParseFunction(
                        new RecordsToEvents(ParserOptions.defaults(), 64, FLUSH_MS))),
                        new BatchRoutingKey(), Types.STRING);
        h.getExecutionConfig().disableGenericTypes();
        return h;
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void eventsOfAStackTraceBecomeOneEventWithTheFirstId() throws Exception {
        harness.processElement(List.of(event("s1", "1", "ERROR checkout failed")), 0);
        harness.processElement(List.of(event("s1", "2", "java.lang.IllegalStateException: boom")), 0);
        harness.processElement(List.of(event("s1", "3", "\tat com.acme.Cart.checkout(Cart.java:42)")), 0);
        harness.processElement(List.of(event("s2", "1", "other stream, own line")), 0);
        harness.processElement(List.of(event("s1", "4", "\tat com.acme.Api.handle(Api.java:7)")), 0);
        harness.processElement(List.of(event("s1", "5", "INFO next request")), 0);

        List<LogEvent> out = harness.extractOutputValues();
        assertThat(out).extracting(r -> r.logStream + "#" + id(r)).containsExactly("s1#1", "s1#2");
        assertThat(out.get(1).eventId).isEqualTo(EventIds.of("cloudwatch", "111122223333", "/aws/lambda/f", "2"));
        assertThat(out.get(1).message).isEqualTo("java.lang.IllegalStateException: boom\n"
                + "\tat com.acme.Cart.checkout(Cart.java:42)\n\tat com.acme.Api.handle(Api.java:7)");
    }

    @Test
    void theEndOfInputHandsOnEveryStreamsBufferedRecord() throws Exception {
        // a bounded run or a stop with --drain: Flink drops the timers that would have let these out
        harness.processElement(List.of(event("s1", "1", "ERROR failed"), event("s1", "2", "\tat a.B.c(B.java:1)")), 0);
        harness.processElement(List.of(event("s2", "1", "last line of s2")), 0);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.endInput();

        assertThat(harness.extractOutputValues()).extracting(r -> r.logStream + "#" + id(r) + ":" + r.message)
                .containsExactlyInAnyOrder("s1#1:failed\n\tat a.B.c(B.java:1)", "s2#1:last line of s2");
        harness.setProcessingTime(1_000 + FLUSH_MS); // the timers left behind find nothing
        assertThat(harness.extractOutputValues()).hasSize(2);
    }

    @Test
    void aQuietStreamsLastEventLeavesAfterTheFlushTimeoutAndStateIsCleared() throws Exception {
        harness.processElement(List.of(event("s1", "1", "only event")), 0);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

        harness.setProcessingTime(1_000 + FLUSH_MS);

        assertThat(harness.extractOutputValues()).extracting(r -> r.message).containsExactly("only event");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void aBufferedTraceSurvivesASnapshotAndRestore() throws Exception {
        harness.processElement(List.of(event("s1", "1", "java.lang.RuntimeException: x")), 0);
        harness.processElement(List.of(event("s1", "2", "\tat a.B.c(B.java:1)")), 0);
        var snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement(List.of(event("s1", "3", "\tat d.E.f(E.java:2)")), 0);
        harness.processElement(List.of(event("s1", "4", "next")), 0);

        assertThat(harness.extractOutputValues()).extracting(r -> r.message)
                .containsExactly("java.lang.RuntimeException: x\n\tat a.B.c(B.java:1)\n\tat d.E.f(E.java:2)");
    }

    @Test
    void aPayloadsEventsArriveAsOneBatchAndAreJoinedAcrossBatches() throws Exception {
        harness.processElement(List.of(event("s1", "1", "INFO start"), event("s1", "2", "java.lang.X: y"),
                event("s1", "3", "\tat a.B.c(B.java:1)")), 0);
        harness.processElement(List.of(event("s1", "4", "\tat d.E.f(E.java:2)"), event("s1", "5", "INFO done")), 0);

        // parsed: the level word leaves the message for the level
        assertThat(harness.extractOutputValues()).extracting(r -> id(r) + ":" + r.level + ":" + r.message)
                .containsExactly("1:INFO:start", "2:INFO:java.lang.X: y\n\tat a.B.c(B.java:1)\n\tat d.E.f(E.java:2)");
        harness.setProcessingTime(1_000 + FLUSH_MS);
        assertThat(harness.extractOutputValues()).extracting(r -> r.message).endsWith("done");
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    /** The CloudWatch event id, from the event's source reference. */
    private static String id(LogEvent e) {
        return e.sourceRef.substring(e.sourceRef.lastIndexOf('#') + 1);
    }

    private static RawLog event(String stream, String id, String message) {
        RawLog raw = new RawLog();
        raw.source = SourceKind.CLOUDWATCH;
        raw.owner = "111122223333";
        raw.logGroup = "/aws/lambda/f";
        raw.logStream = stream;
        raw.cloudwatchId = id;
        raw.text = message;
        raw.receiveTime = 1_000;
        raw.routingKey = raw.owner + "/" + raw.logGroup;
        raw.eventId = EventIds.of("cloudwatch", raw.owner, raw.logGroup, id);
        return raw;
    }
}
