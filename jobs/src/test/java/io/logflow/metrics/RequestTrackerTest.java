package io.logflow.metrics;

import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Request outcomes in event time, and the tracker's state and timers gone once every request is decided. */
class RequestTrackerTest {
    private static final long TIMEOUT = 60_000;

    @Test
    void completedRequestSucceedsAtItsCompletionEvent() throws Exception {
        try (var harness = harness(null, null)) {
            harness.processElement(event("r1", 1_000, Level.INFO, "begin", null), 1_000);
            assertThat(outcomes(harness)).isEmpty();
            harness.processElement(event("r1", 3_000, Level.INFO, "done", 12.5), 3_000);

            assertThat(outcomes(harness)).containsExactly("r1 ok first=begin events=2 started=1000");
            assertStateGoneAfterTimeout(harness, 1_000);
        }
    }

    @Test
    void requestThatLoggedAnErrorFailsEvenIfItCompleted() throws Exception {
        try (var harness = harness(null, null)) {
            harness.processElement(event("r2", 1_000, Level.INFO, "begin", null), 1_000);
            harness.processElement(event("r2", 2_000, Level.ERROR, "boom", null), 2_000);
            harness.processElement(event("r2", 3_000, Level.INFO, "done", 40.0), 3_000);

            assertThat(outcomes(harness)).containsExactly("r2 error first=begin events=3 started=1000");
            assertStateGoneAfterTimeout(harness, 1_000);
        }
    }

    @Test
    void requestWithoutCompletionTimesOutAndLaterEventsOfItAreIgnoredUntilThen() throws Exception {
        try (var harness = harness(null, null)) {
            harness.processElement(event("r3", 1_000, Level.INFO, "begin", null), 1_000);
            harness.processWatermark(1_000 + TIMEOUT - 1);
            assertThat(outcomes(harness)).isEmpty();
            harness.processWatermark(1_000 + TIMEOUT);

            assertThat(outcomes(harness)).containsExactly("r3 timeout first=begin events=1 started=1000");
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void anEarlierEventArrivingLateMovesTheStartAndTheDeadline() throws Exception {
        try (var harness = harness(null, null)) {
            harness.processElement(event("r4", 5_000, Level.INFO, "second", null), 5_000);
            harness.processElement(event("r4", 2_000, Level.INFO, "first", null), 2_000);
            harness.processWatermark(2_000 + TIMEOUT);

            assertThat(outcomes(harness)).containsExactly("r4 timeout first=first events=2 started=2000");
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void withMarkersOnlyStartedRequestsCountAndTheCompletionPatternDecides() throws Exception {
        try (var harness = harness(Pattern.compile("^START"), Pattern.compile("^END"))) {
            harness.processElement(event("a", 1_000, Level.INFO, "START a", null), 1_000);
            harness.processElement(event("a", 2_000, Level.INFO, "took 5 ms", 5.0), 2_000); // not a completion here
            harness.processElement(event("a", 3_000, Level.INFO, "END a", null), 3_000);
            harness.processElement(event("b", 1_000, Level.INFO, "no start marker", null), 1_000);
            harness.processWatermark(10 * TIMEOUT);

            assertThat(outcomes(harness)).containsExactly("a ok first=START a events=3 started=1000");
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }

    private static void assertStateGoneAfterTimeout(
            KeyedOneInputStreamOperatorTestHarness<String, LogEvent, RequestOutcome> harness, long startedAt)
            throws Exception {
        harness.processWatermark(startedAt + TIMEOUT);
        assertThat(harness.extractOutputValues()).hasSize(1); // decided once, not again at the timeout
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, LogEvent, RequestOutcome> harness(
            Pattern start, Pattern completion) throws Exception {
        MetricsConfig config = new MetricsConfig(Duration.ZERO, Duration.ofMinutes(1), Duration.ofMinutes(15),
                Duration.ofMillis(TIMEOUT), start, completion);
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new RequestTracker(config)), RequestTracker::key, Types.STRING);
        harness.open();
        return harness;
    }

    private static List<String> outcomes(
            KeyedOneInputStreamOperatorTestHarness<String, LogEvent, RequestOutcome> harness) {
        return harness.extractOutputValues().stream()
                .map(r -> r.requestId + " " + (r.failed() ? r.reason() : "ok") + " first=" + r.firstMessage
                        + " events=" + r.events + " started=" + r.startedAt)
                .collect(Collectors.toList());
    }

    static LogEvent event(String requestId, long timestamp, Level level, String message, Double durationMs) {
        LogEvent e = new LogEvent();
        e.eventId = requestId + "-" + timestamp;
        e.workspaceId = "acme";
        e.service = "api";
        e.timestamp = timestamp;
        e.level = level;
        e.message = message;
        e.requestId = requestId;
        e.durationMs = durationMs;
        return e;
    }
}
