package io.logflow.pipeline;

import io.logflow.model.Failure;
import io.logflow.model.FailureStage;
import io.logflow.model.LogEvent;
import io.logflow.model.Marker;
import io.logflow.model.RawLog;
import io.logflow.model.UploadStatus;
import io.logflow.parse.ParserOptions;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ParseFunctionTest {
    private static final int MAX_RAW = 16;

    private KeyedOneInputStreamOperatorTestHarness<String, List<RawLog>, LogEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new ParseOperator(new ParseFunction(new RecordsToEvents(ParserOptions.defaults(), MAX_RAW, 2_000))),
                new BatchRoutingKey(), Types.STRING);
        harness.getExecutionConfig().disableGenericTypes();
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void goodLinesBecomeEventsWithTheRecordsId() throws Exception {
        RawLog json = line(1, "{\"level\":\"error\",\"message\":\"boom\",\"timestamp\":\"2026-11-02T08:00:00Z\"}");
        RawLog text = line(2, "just text");

        harness.processElement(List.of(json), 0);
        harness.processElement(List.of(text), 0);

        List<LogEvent> events = harness.extractOutputValues();
        assertThat(events).extracting(e -> e.eventId).containsExactly(json.eventId, text.eventId);
        assertThat(events.get(0).message).isEqualTo("boom");
        assertThat(events.get(0).timestamp).isEqualTo(1_793_606_400_000L);
        assertThat(failures()).isEmpty();
    }

    @Test
    void brokenJsonBecomesAParseFailureWithBoundedRawBytes() throws Exception {
        String broken = "{\"level\":\"info\",\"message\":\"never closed";
        harness.processElement(List.of(line(3, broken)), 0);

        assertThat(harness.extractOutputValues()).isEmpty();
        Failure f = failures().get(0);
        assertThat(f.stage).isEqualTo(FailureStage.PARSE);
        assertThat(f.reason).isEqualTo("invalid_json");
        assertThat(f.rawSize).isEqualTo(broken.getBytes(StandardCharsets.UTF_8).length);
        assertThat(f.raw).hasSize(MAX_RAW);
        assertThat(f.sourceRef).isEqualTo("file:/logs/a.log#L3");
    }

    @Test
    void recordsTheSourceCouldNotReadBecomeSourceFailures() throws Exception {
        RawLog tooLong = line(4, "xxxx");
        tooLong.error = "line_too_long";
        tooLong.errorDetail = "line of 9999 bytes exceeds the limit of 4";

        harness.processElement(List.of(tooLong), 0);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(failures()).extracting(f -> f.stage + "/" + f.reason).containsExactly("SOURCE/line_too_long");
    }

    @Test
    void blankLinesAreSkippedNotFailed() throws Exception {
        harness.processElement(List.of(line(5, "   ")), 0);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(failures()).isEmpty();
    }

    @Test
    void aFilesMarkersReportItsProgressAndCountsEvenAcrossASnapshot() throws Exception {
        harness.processElement(List.of(marker(Marker.FILE_START, 0)), 0);
        harness.processElement(List.of(line(1, "{\"message\":\"ok\"}")), 0);
        harness.processElement(List.of(line(2, "{\"message\":")), 0);
        var snapshot = harness.snapshot(1, 1);
        harness.close();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new ParseOperator(new ParseFunction(new RecordsToEvents(ParserOptions.defaults(), MAX_RAW, 2_000))),
                new BatchRoutingKey(), Types.STRING);
        harness.getExecutionConfig().disableGenericTypes();
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement(List.of(line(3, "")), 0);
        harness.processElement(List.of(marker(Marker.CLOUDWATCH_CONTROL, 0)), 0);
        harness.processElement(List.of(marker(Marker.FILE_END, 4)), 0);

        ConcurrentLinkedQueue<StreamRecord<UploadStatus>> uploads = harness.getSideOutput(Outputs.UPLOADS);
        assertThat(uploads).extracting(StreamRecord::getValue).extracting(u -> u.status + " " + u.lines + "="
                + u.events + "+" + u.failures + "+" + u.skipped).containsExactly("DONE 4=1+1+2");
    }

    private static RawLog marker(Marker marker, long line) {
        RawLog raw = RawLog.fileMarker(marker, "file:/logs/a.log", null, 1_000L);
        raw.routingKey = "file:/logs/a.log"; // the file's routing key, as its lines have it
        raw.line = line;
        return raw;
    }

    private List<Failure> failures() {
        ConcurrentLinkedQueue<StreamRecord<Failure>> out = harness.getSideOutput(Outputs.FAILURES);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    private static RawLog line(long n, String text) {
        return RawLog.fileLine("file:/logs/a.log", null, n, text, 1_000L);
    }
}
