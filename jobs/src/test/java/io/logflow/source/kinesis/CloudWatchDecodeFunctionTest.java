package io.logflow.source.kinesis;

import io.logflow.decode.CloudWatchPayloads;
import io.logflow.decode.CloudWatchPayloads.LogEvent;
import io.logflow.decode.DecodeReasons;
import io.logflow.job.Outputs;
import io.logflow.model.Failure;
import io.logflow.model.RawLog;
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
        try (OneInputStreamOperatorTestHarness<byte[], RawLog> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new CloudWatchDecodeFunction(1 << 20, 16))) {
            List<LogEvent> sent = List.of(new LogEvent("1", 1_000, "a"), new LogEvent("2", 2_000, "b"));
            byte[] notGzip = "definitely not gzip, and longer than sixteen bytes".getBytes(StandardCharsets.UTF_8);

            harness.processElement(CloudWatchPayloads.dataMessage("1", "g", "s", sent), 500L);
            harness.processElement(CloudWatchPayloads.controlMessage(3_000), 600L);
            harness.processElement(notGzip, 700L);

            List<RawLog> events = harness.extractOutputValues();
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
}
