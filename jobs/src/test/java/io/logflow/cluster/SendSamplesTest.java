package io.logflow.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logflow.decode.CloudWatchDecoder;
import io.logflow.decode.DecodeResult;
import io.logflow.testing.KinesisEmulator;
import io.logflow.testing.S3Extension;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.auth.signer.Aws4Signer;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.http.SdkHttpFullRequest;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.http.SdkHttpMethod;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.regions.Region;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
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

    /**
     * With temporary credentials the session token is sent as {@code x-amz-security-token} and signed: the script's
     * Authorization header equals the one the AWS SDK's own SigV4 signer computes for the same request. (S3Proxy
     * refuses the header, so this is not checked against it.)
     */
    @Test
    void aSessionTokenIsSentSignedAsTheAwsSdkSignsIt() throws Exception {
        assumeThat(Path.of("/usr/bin/python3")).as("python3 runs the script").exists();
        String token = "FwoGZXIvYXdzEJr//////////wEaDOKEN+with/slash=";
        String body = "{\"StreamName\": \"logs\"}";
        JsonNode script = new ObjectMapper().readTree(python(String.join("\n",
                "import datetime, importlib.util, json",
                "spec = importlib.util.spec_from_file_location('send_samples', '" + SCRIPT + "')",
                "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)",
                "aws = m.Aws('eu-west-1', 'AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', 'http://127.0.0.1:4568',"
                        + " 'http://127.0.0.1:9000', '" + token + "')",
                "h = aws._sign('POST', 'http://127.0.0.1:4568/', b'" + body + "',"
                        + " {'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'Kinesis_20131202.DescribeStream'},"
                        + " 'kinesis', datetime.datetime(2026, 12, 6, 12, 0, 0, tzinfo=datetime.timezone.utc))",
                "print(json.dumps(h))")));

        Instant at = Instant.parse("2026-12-06T12:00:00Z");
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("http://127.0.0.1:4568/"))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "Kinesis_20131202.DescribeStream")
                .putHeader("x-amz-content-sha256", script.path("x-amz-content-sha256").asText())
                .contentStreamProvider(() -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)))
                .build();
        SdkHttpFullRequest sdk = Aws4Signer.create().sign(request, Aws4SignerParams.builder()
                .awsCredentials(AwsSessionCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                        token))
                .signingName("kinesis")
                .signingRegion(Region.EU_WEST_1)
                .signingClockOverride(Clock.fixed(at, ZoneOffset.UTC))
                .build());

        assertThat(script.path("x-amz-security-token").asText()).isEqualTo(token);
        assertThat(script.path("authorization").asText()).contains("x-amz-security-token")
                .isEqualTo(sdk.firstMatchingHeader("Authorization").orElseThrow());
    }

    @Test
    void theSessionTokenComesFromTheEnvironmentAndOnlyWhenSet() throws Exception {
        assumeThat(Path.of("/usr/bin/python3")).as("python3 runs the script").exists();
        String program = String.join("\n",
                "import importlib.util, sys",
                "spec = importlib.util.spec_from_file_location('send_samples', '" + SCRIPT + "')",
                "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)",
                "seen = []",
                "class Stop(Exception): pass",
                "def capture(self, region, access_key, secret_key, kinesis_endpoint, s3_endpoint, session_token=None):",
                "    seen.append(session_token); raise Stop()",
                "m.Aws.__init__ = capture",
                "try: m.main([])",
                "except Stop: pass",
                "print(seen[0])");
        ProcessBuilder withToken = new ProcessBuilder("/usr/bin/python3", "-c", program);
        withToken.environment().put("AWS_SESSION_TOKEN", "token-from-env");
        assertThat(output(withToken)).isEqualTo("token-from-env");
        ProcessBuilder without = new ProcessBuilder("/usr/bin/python3", "-c", program);
        without.environment().remove("AWS_SESSION_TOKEN");
        assertThat(output(without)).isEqualTo("None");
    }

    private static String output(ProcessBuilder builder) throws Exception {
        Process p = builder.redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static String python(String program) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", program)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static JsonNode send(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", SCRIPT.toString(),
                "--kinesis-endpoint", KinesisEmulator.endpoint(), "--s3-endpoint", S3Extension.endpoint().toString(),
                "--access-key", S3Extension.ACCESS_KEY, "--secret-key", S3Extension.SECRET_KEY, "--wait", "10"));
        cmd.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().remove("AWS_SESSION_TOKEN");
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return new ObjectMapper().readTree(out);
    }
}
