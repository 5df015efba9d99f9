package io.logflow.source.kinesis;

import io.logflow.model.EventIds;
import io.logflow.model.RawLog;
import io.logflow.model.SourceKind;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CloudWatchMultilineFunctionTest {
    private static final long FLUSH_MS = 2_000;

    private KeyedOneInputStreamOperatorTestHarness<String, List<RawLog>, RawLog> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new CloudWatchMultilineOperator(new CloudWatchMultilineFunction(500, 256 * 1024, FLUSH_MS)),
                new CloudWatchMultilineFunction.LogStreamKey(), Types.STRING);
        harness.getExecutionConfig().disableGenericTypes();
        harness.open();
        harness.setProcessingTime(1_000);
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

        List<RawLog> out = harness.extractOutputValues();
        assertThat(out).extracting(r -> r.logStream + "#" + r.cloudwatchId).containsExactly("s1#1", "s1#2");
        assertThat(out.get(1).eventId).isEqualTo(EventIds.of("cloudwatch", "111122223333", "/aws/lambda/f", "2"));
        assertThat(out.get(1).text).isEqualTo("java.lang.IllegalStateException: boom\n"
                + "\tat com.acme.Cart.checkout(Cart.java:42)\n\tat com.acme.Api.handle(Api.java:7)");
    }

    @Test
    void theEndOfInputHandsOnEveryStreamsBufferedRecord() throws Exception {
        // a bounded run or a stop with --drain: Flink drops the timers that would have let these out
        harness.processElement(List.of(event("s1", "1", "ERROR failed"), event("s1", "2", "\tat a.B.c(B.java:1)")), 0);
        harness.processElement(List.of(event("s2", "1", "last line of s2")), 0);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.endInput();

        assertThat(harness.extractOutputValues()).extracting(r -> r.logStream + "#" + r.cloudwatchId + ":" + r.text)
                .containsExactlyInAnyOrder("s1#1:ERROR failed\n\tat a.B.c(B.java:1)", "s2#1:last line of s2");
        harness.setProcessingTime(1_000 + FLUSH_MS); // the timers left behind find nothing
        assertThat(harness.extractOutputValues()).hasSize(2);
    }

    @Test
    void aQuietStreamsLastEventLeavesAfterTheFlushTimeoutAndStateIsCleared() throws Exception {
        harness.processElement(List.of(event("s1", "1", "only event")), 0);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

        harness.setProcessingTime(1_000 + FLUSH_MS);

        assertThat(harness.extractOutputValues()).extracting(r -> r.text).containsExactly("only event");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void aBufferedTraceSurvivesASnapshotAndRestore() throws Exception {
        harness.processElement(List.of(event("s1", "1", "java.lang.RuntimeException: x")), 0);
        harness.processElement(List.of(event("s1", "2", "\tat a.B.c(B.java:1)")), 0);
        var snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new CloudWatchMultilineOperator(new CloudWatchMultilineFunction(500, 256 * 1024, FLUSH_MS)),
                new CloudWatchMultilineFunction.LogStreamKey(), Types.STRING);
        harness.getExecutionConfig().disableGenericTypes();
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement(List.of(event("s1", "3", "\tat d.E.f(E.java:2)")), 0);
        harness.processElement(List.of(event("s1", "4", "next")), 0);

        assertThat(harness.extractOutputValues()).extracting(r -> r.text)
                .containsExactly("java.lang.RuntimeException: x\n\tat a.B.c(B.java:1)\n\tat d.E.f(E.java:2)");
    }

    @Test
    void aPayloadsEventsArriveAsOneBatchAndAreJoinedAcrossBatches() throws Exception {
        harness.processElement(List.of(event("s1", "1", "INFO start"), event("s1", "2", "java.lang.X: y"),
                event("s1", "3", "\tat a.B.c(B.java:1)")), 0);
        harness.processElement(List.of(event("s1", "4", "\tat d.E.f(E.java:2)"), event("s1", "5", "INFO done")), 0);

        assertThat(harness.extractOutputValues()).extracting(r -> r.cloudwatchId + ":" + r.text).containsExactly(
                "1:INFO start", "2:java.lang.X: y\n\tat a.B.c(B.java:1)\n\tat d.E.f(E.java:2)");
        harness.setProcessingTime(1_000 + FLUSH_MS);
        assertThat(harness.extractOutputValues()).extracting(r -> r.text).endsWith("INFO done");
        assertThat(harness.numKeyedStateEntries()).isZero();
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
