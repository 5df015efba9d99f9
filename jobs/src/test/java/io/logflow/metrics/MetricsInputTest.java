package io.logflow.metrics;

import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the SQL sees of an event, and which events it never sees because their minute has closed. */
class MetricsInputTest {
    @Test
    void eventsOfAClosedMinuteAreLeftOutAndCounted() throws Exception {
        MetricsInput input = new MetricsInput();
        try (var harness = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(input))) {
            harness.open();
            harness.processElement(event(60_000, "on time"), 60_000);
            harness.processWatermark(119_999); // the minute [60 s, 120 s) has fired
            harness.processElement(event(119_000, "late"), 119_000);
            harness.processElement(event(120_000, "next minute"), 120_000);

            List<Row> rows = harness.extractOutputValues();
            assertThat(rows).extracting(r -> r.getField(3)).containsExactly("on time", "next minute");
            assertThat(input.lateEvents.getCount()).isEqualTo(1);
        }
    }

    @Test
    void rowCarriesWorkspaceServiceOrLogGroupAndUtf8Bytes() throws Exception {
        try (var harness = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new MetricsInput()))) {
            harness.open();
            LogEvent fromCloudWatch = event(1_000, "café ☕");
            fromCloudWatch.service = null;
            fromCloudWatch.logGroup = "/aws/lambda/orders";
            fromCloudWatch.workspaceId = null;
            fromCloudWatch.durationMs = 12.5;
            harness.processElement(fromCloudWatch, 1_000);

            Row row = harness.extractOutputValues().get(0);
            assertThat(row.getField(0)).isEqualTo("-");
            assertThat(row.getField(1)).isEqualTo("/aws/lambda/orders");
            assertThat(row.getField(2)).isEqualTo("WARN");
            assertThat(row.getField(4)).isEqualTo((long) "café ☕".getBytes("UTF-8").length);
            assertThat(row.getField(5)).isEqualTo(12.5);
        }
    }

    private static LogEvent event(long timestamp, String message) {
        LogEvent e = new LogEvent();
        e.eventId = "e" + timestamp;
        e.workspaceId = "acme";
        e.service = "api";
        e.timestamp = timestamp;
        e.level = Level.WARN;
        e.message = message;
        return e;
    }
}
