package io.logflow.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logflow.decode.CloudWatchDecoder;
import io.logflow.decode.DecodeResult;
import io.logflow.testing.KinesisEmulator;
import io.logflow.testing.S3Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * {@code deploy/send-samples.py}, the compose stack's one command for sample data, against the real emulators: it
 * creates the stream and the buckets, uploads every sample log byte for byte under its relative path, and puts
 * CloudWatch records that logflow's decoder reads as the events the script reports, plus one control message.
 * Its requests are SigV4-signed, which S3Proxy checks.
 */
class SendSamplesTest {
    @RegisterExtension static final KinesisEmulator KINESIS = new KinesisEmulator();
    @RegisterExtension static final S3Extension S3 = new S3Extension();

    private static final Path SCRIPT = Path.of("..", "deploy", "send-samples.py");
    private static final Path LOGS = Path.of("..", "deploy", "samples", "logs");

    @Test
    void sendsTheSampleUploadsAndCloudWatchRecordsIntoFreshEmulators() throws Exception {
        assumeThat(Path.of("/usr/bin/python3")).as("python3 runs the script").exists();
        JsonNode summary = send("--stream", "samples", "--bucket", "sent-uploads", "--flink-bucket", "sent-flink",
                "--invocations", "7");

        List<String> expectedKeys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(LOGS)) {
            files.filter(Files::isRegularFile).forEach(f -> expectedKeys.add(LOGS.relativize(f).toString()));
        }
        assertThat(S3.keys("sent-uploads")).containsExactlyInAnyOrderElementsOf(expectedKeys);
        for (String key : expectedKeys) {
            assertThat(S3.get("sent-uploads", key)).as(key).isEqualTo(Files.readAllBytes(LOGS.resolve(key)));
        }
        assertThat(S3.keys("sent-flink")).isEmpty();

        List<byte[]> records = KinesisEmulator.readAll("samples");
        assertThat(records).hasSize(summary.path("records").asInt());
        CloudWatchDecoder decoder = new CloudWatchDecoder();
        int events = 0;
        int controls = 0;
        for (byte[] record : records) {
            DecodeResult result = decoder.decode(record, 0L);
            assertThat(result.failures()).isEmpty();
            events += result.events().size();
            controls += result.controlMessages();
        }
        assertThat(controls).isEqualTo(1);
        // one workspace in workspaces.ndjson plus the unregistered log group, 7 invocations of 5 events each
        assertThat(events).isEqualTo(summary.path("events").asInt()).isEqualTo(2 * 7 * 5);

        JsonNode again = send("--stream", "samples", "--bucket", "sent-uploads", "--flink-bucket", "sent-flink",
                "--init-only");
        assertThat(again.has("records")).as("--init-only sends nothing").isFalse();
        assertThat(KinesisEmulator.readAll("samples")).hasSize(records.size());
    }

    private static JsonNode send(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", SCRIPT.toString(),
                "--kinesis-endpoint", KinesisEmulator.endpoint(), "--s3-endpoint", S3Extension.endpoint().toString(),
                "--access-key", S3Extension.ACCESS_KEY, "--secret-key", S3Extension.SECRET_KEY, "--wait", "10"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return new ObjectMapper().readTree(out);
    }
}
