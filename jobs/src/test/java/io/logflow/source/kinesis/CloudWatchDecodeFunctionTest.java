package io.logflow.source.kinesis;

import io.logflow.decode.CloudWatchPayloads.LogEvent;
import io.logflow.decode.CloudWatchPayloads;
import io.logflow.decode.DecodeReasons;
import io.logflow.model.Failure;
import io.logflow.model.RawLog;
import io.logflow.pipeline.Outputs;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The decode operator alone (stateless): events on the main output, failures on the side output. */
class CloudWatchDecodeFunctionTest {

    @Test
    void eventsGoToTheMainOutputAndFailuresToTheSideOutput() throws Exception {
        try (OneInputStreamOperatorTestHarness<byte[], List<RawLog>> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new CloudWatchDecodeFunction(1 << 20, 16))) {
            List<LogEvent> sent = List.of(new LogEvent("1", 1_000, "a"), new LogEvent("2", 2_000, "b"));
            byte[] notGzip = "definitely not gzip, and longer than sixteen bytes".getBytes(StandardCharsets.UTF_8);

            harness.processElement(CloudWatchPayloads.dataMessage("1", "g", "s", sent), 500L);
            harness.processElement(CloudWatchPayloads.controlMessage(3_000), 600L);
            harness.processElement(notGzip, 700L);

            assertThat(harness.extractOutputValues()).hasSize(1); // one payload of one stream: one batch
            List<RawLog> events = harness.extractOutputValues().get(0);
            assertThat(events).extracting(e -> e.text).containsExactly("a", "b");
            assertThat(events).extracting(e -> e.receiveTime).containsOnly(500L);

            List<Failure> failures = new ArrayList<>();
            for (StreamRecord<Failure> r : harness.getSideOutput(Outputs.FAILURES)) {
                failures.add(r.getValue());
            }
            assertThat(failures).hasSize(1);
            assertThat(failures.get(0).reason).isEqualTo(DecodeReasons.NOT_GZIP);
            assertThat(failures.get(0).raw).hasSize(16);
            assertThat(failures.get(0).rawSize).isEqualTo(notGzip.length);
            assertThat(failures.get(0).time).isEqualTo(700L);
        }
    }

    @Test
    void aRecordHoldingEnvelopesOfSeveralStreamsGivesOneBatchPerStream() throws Exception {
        try (OneInputStreamOperatorTestHarness<byte[], List<RawLog>> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new CloudWatchDecodeFunction(1 << 20, 16))) {
            String envelopes = CloudWatchPayloads.dataMessageJson("1", "g", "s1",
                            List.of(new LogEvent("1", 1_000, "a"), new LogEvent("2", 1_000, "b")))
                    + CloudWatchPayloads.dataMessageJson("1", "g", "s2", List.of(new LogEvent("3", 1_000, "c")))
                    + CloudWatchPayloads.dataMessageJson("1", "g", "s1", List.of(new LogEvent("4", 1_000, "d")));

            harness.processElement(CloudWatchPayloads.gzip(envelopes), 500L);

            List<List<RawLog>> batches = harness.extractOutputValues();
            assertThat(batches).extracting(b -> b.get(0).logStream).containsExactly("s1", "s2", "s1");
            assertThat(batches).allSatisfy(
                    b -> assertThat(b).extracting(e -> e.logStream).containsOnly(b.get(0).logStream));
            assertThat(batches).flatExtracting(b -> b).extracting(e -> e.text).containsExactly("a", "b", "c", "d");
        }
    }
}
