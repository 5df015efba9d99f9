package io.logflow.app;

import io.logflow.config.ConfigException;
import io.logflow.config.Settings;
import io.logflow.model.LogEvent;
import io.logflow.model.RawLog;
import io.logflow.parse.LogFormat;
import io.logflow.parse.LogParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobConfigTest {
    private static final String[] MINIMAL = {
        "--uploads.path", "file:///data/logs", "--postgres.url", "jdbc:postgresql://db:5432/logflow"
    };

    @Test
    void minimalArgumentsGiveDocumentedDefaults() {
        JobConfig config = JobConfig.load(MINIMAL, Map.of());

        assertThat(config.jobName).isEqualTo("logflow");
        assertThat(config.parallelism).isEmpty();
        assertThat(config.checkpointInterval).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.uploads.get().path).isEqualTo("file:///data/logs");
        assertThat(config.uploads.get().monitorInterval).isNull();
        assertThat(config.uploads.get().limits.maxLineBytes).isEqualTo(1024 * 1024);
        assertThat(config.uploads.get().limits.maxDecompressedBytes).isEqualTo(1L << 30);
        assertThat(config.uploads.get().limits.maxEntries).isEqualTo(10_000);
        assertThat(config.uploads.get().limits.maxDepth).isEqualTo(4);
        assertThat(config.uploads.get().pattern).hasToString("<workspace>/<service>/<yyyy>/<mm>/<dd>/<file>");
        assertThat(config.postgres.user).isEqualTo("postgres");
        assertThat(config.postgres.batchSize).isEqualTo(1000);
        assertThat(config.postgres.flushInterval).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void argumentsOverrideEnvironmentWhichOverridesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("logflow.properties");
        Files.writeString(file, "postgres.batch-size = 10\npostgres.user = from-file\njob.name = from-file\n");
        Map<String, String> env = Map.of(
                "LOGFLOW_CONFIG", file.toString(),
                "LOGFLOW_POSTGRES_BATCH_SIZE", "20",
                "LOGFLOW_JOB_NAME", "from-env");

        JobConfig config = JobConfig.load(concat(MINIMAL, "--job.name", "from-args"), env);

        assertThat(config.jobName).isEqualTo("from-args");
        assertThat(config.postgres.batchSize).isEqualTo(20);
        assertThat(config.postgres.user).isEqualTo("from-file");
    }

    @Test
    void durationsAcceptUnits() {
        JobConfig config = JobConfig.load(
                concat(MINIMAL, "--job.checkpoint-interval", "5 min", "--uploads.monitor-interval", "500 ms"), Map.of());

        assertThat(config.checkpointInterval).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.uploads.get().monitorInterval).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void nonNumericBatchSizeNamesTheKeyAndTheExpectedType() {
        assertThatThrownBy(() -> JobConfig.load(concat(MINIMAL, "--postgres.batch-size", "lots"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("postgres.batch-size: expected an integer, got 'lots'");
    }

    @Test
    void negativeAndZeroValuesAreRejected() {
        assertThatThrownBy(() -> JobConfig.load(concat(MINIMAL, "--job.parallelism", "0"), Map.of()))
                .hasMessage("job.parallelism: expected a positive integer, got '0'");
        assertThatThrownBy(() -> JobConfig.load(concat(MINIMAL, "--postgres.flush-interval", "0 s"), Map.of()))
                .hasMessage("postgres.flush-interval: expected a positive duration such as '5 s', got '0 s'");
        assertThatThrownBy(() -> JobConfig.load(concat(MINIMAL, "--postgres.max-retries", "-1"), Map.of()))
                .hasMessage("postgres.max-retries: expected zero or a positive integer, got '-1'");
    }

    @Test
    void badDurationNamesTheKeyAndGivesExamples() {
        assertThatThrownBy(() -> JobConfig.load(concat(MINIMAL, "--job.checkpoint-interval", "often"), Map.of()))
                .hasMessage("job.checkpoint-interval: expected a duration such as '500 ms', '10 s' or '5 min', "
                        + "got 'often'");
    }

    @Test
    void malformedPathPatternSaysWhatIsWrong() {
        assertThatThrownBy(() -> JobConfig.load(concat(MINIMAL, "--uploads.path-pattern", "<tenant>/<file>"), Map.of()))
                .hasMessage("uploads.path-pattern: unknown part '<tenant>', expected one of <workspace>, <service>, "
                        + "<yyyy>, <mm>, <dd>, <file>");
        assertThatThrownBy(() -> JobConfig.load(concat(MINIMAL, "--uploads.path-pattern", "<yyyy>/<mm>/<file>"), Map.of()))
                .hasMessage("uploads.path-pattern: a date needs all of <yyyy>, <mm> and <dd>");
    }

    @Test
    void sizesTakeUnitsAndRejectGarbage() {
        JobConfig config = JobConfig.load(concat(MINIMAL, "--uploads.max-decompressed-bytes", "64 mb"), Map.of());
        assertThat(config.uploads.get().limits.maxDecompressedBytes).isEqualTo(64L << 20);

        assertThatThrownBy(() -> JobConfig.load(concat(MINIMAL, "--uploads.max-decompressed-bytes", "huge"), Map.of()))
                .hasMessage("uploads.max-decompressed-bytes: expected a size such as '512 kb' or '4 mb', got 'huge'");
    }

    @Test
    void dateRangeIsCheckedAndNeedsADateInThePattern() {
        assertThatThrownBy(() -> JobConfig.load(concat(MINIMAL, "--uploads.date-from", "02/11/2026"), Map.of()))
                .hasMessage("uploads.date-from: expected a day such as 2026-11-02, got '02/11/2026'");
        assertThatThrownBy(() -> JobConfig.load(
                        concat(MINIMAL, "--uploads.date-from", "2026-11-05", "--uploads.date-to", "2026-11-01"), Map.of()))
                .hasMessage("uploads.date-to: expected a day on or after uploads.date-from (2026-11-05), got "
                        + "'2026-11-01'");
        assertThatThrownBy(() -> JobConfig.load(concat(MINIMAL, "--uploads.path-pattern", "<workspace>/<file>",
                        "--uploads.date-to", "2026-11-01"), Map.of()))
                .hasMessage("uploads.date-to: needs a date (<yyyy>/<mm>/<dd>) in uploads.path-pattern");
    }

    @Test
    void batchModeRefusesUnboundedSources() {
        assertThatThrownBy(() -> JobConfig.load(concat(MINIMAL, "--job.runtime-mode", "BATCH",
                        "--uploads.monitor-interval", "10 s"), Map.of()))
                .hasMessage("job.runtime-mode: BATCH reads bounded sources only; unset uploads.monitor-interval");
        assertThatThrownBy(() -> JobConfig.load(concat(MINIMAL, "--job.runtime-mode", "sometimes"), Map.of()))
                .hasMessage("job.runtime-mode: expected one of [STREAMING, BATCH, AUTOMATIC], got 'sometimes'");
    }

    @Test
    void parseFormatsAndRedactionRulesComeFromConfiguration() {
        JobConfig config = JobConfig.load(concat(MINIMAL,
                "--parse.formats", "111122223333/vpc-flow-logs:vpc-flow,acme:json",
                "--parse.redact-keys", "ssn;x-internal-key",
                "--parse.redact-patterns", "\\b\\d{3}-\\d{2}-\\d{4}\\b"), Map.of());

        assertThat(config.parser.formatFor("111122223333/vpc-flow-logs")).isEqualTo(LogFormat.VPC_FLOW);
        assertThat(config.parser.formatFor("acme")).isEqualTo(LogFormat.JSON);
        assertThat(config.parser.formatFor("globex")).isEqualTo(LogFormat.AUTO);
        assertThat(config.parser.redaction.isEnabled()).isTrue();

        RawLog raw = RawLog.fileLine("file:/a.log", null, 1, "{\"msg\":\"hi\",\"ssn\":\"123-45-6789\"}", 1L);
        raw.routingKey = "acme";
        LogEvent event = new LogParser(config.parser).parse(raw).event;
        assertThat(event.fields.get("ssn")).doesNotContain("123-45-6789");
    }

    @Test
    void badParseSettingsNameTheKey() {
        assertThatThrownBy(() -> JobConfig.load(concat(MINIMAL, "--parse.format", "xml"), Map.of()))
                .hasMessage("parse.format: expected one of auto, json, logfmt, syslog, access, lambda, vpc-flow, klog, glog, "
                        + "nginx-error, apache-error, cef, text, got 'xml'");
        assertThatThrownBy(() -> JobConfig.load(concat(MINIMAL, "--parse.formats", "acme:yaml"), Map.of()))
                .hasMessageStartingWith("parse.formats ('acme'): expected one of");
        assertThatThrownBy(() -> JobConfig.load(concat(MINIMAL, "--parse.redact-patterns", "([a-z"), Map.of()))
                .hasMessageStartingWith("parse.redact-patterns: '([a-z' is not a regular expression");
    }

    @Test
    void failuresMustGoSomewhere() {
        assertThatThrownBy(() -> JobConfig.load(concat(MINIMAL, "--dlq.postgres.enabled", "false"), Map.of()))
                .hasMessage("dlq.postgres.enabled: false needs dlq.kafka.enabled true, or failures would go nowhere");
    }

    @Test
    void missingPostgresUrlIsRequired() {
        assertThatThrownBy(() -> JobConfig.load(new String[] {"--uploads.path", "file:///x"}, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("postgres.url: required, expected a value");
    }

    @Test
    void postgresUrlMustBeJdbc() {
        assertThatThrownBy(() -> JobConfig.load(
                        new String[] {"--uploads.path", "file:///x", "--postgres.url", "postgres://db/logflow"},
                        Map.of()))
                .hasMessage("postgres.url: expected a JDBC URL such as jdbc:postgresql://localhost:5432/logflow, "
                        + "got 'postgres://db/logflow'");
    }

    @Test
    void uploadPathMustBeAUri() {
        assertThatThrownBy(() -> JobConfig.load(
                        new String[] {"--uploads.path", "/data/logs", "--postgres.url", "jdbc:postgresql://db/x"},
                        Map.of()))
                .hasMessage("uploads.path: expected a folder URI such as file:///data/logs or s3://bucket/prefix, "
                        + "got '/data/logs'");
    }

    @Test
    void aJobWithoutSourcesIsRejected() {
        assertThatThrownBy(() -> JobConfig.load(new String[] {"--postgres.url", "jdbc:postgresql://db/x"}, Map.of()))
                .hasMessageStartingWith("no source configured: set uploads.path");
    }

    @Test
    void unknownKeysAreRejectedSoTyposDoNotFallBackToDefaults() {
        assertThatThrownBy(() -> JobConfig.load(concat(MINIMAL, "--postgres.batchsize", "10"), Map.of()))
                .hasMessage("unknown configuration key 'postgres.batchsize' (see the README's configuration table)");
    }

    @Test
    void argumentWithoutValueIsRejected() {
        assertThatThrownBy(() -> JobConfig.load(concat(MINIMAL, "--job.name"), Map.of()))
                .hasMessage("argument '--job.name': expected a value after it");
        assertThatThrownBy(() -> JobConfig.load(concat(MINIMAL, "stray"), Map.of()))
                .hasMessage("argument 'stray': expected --key value");
    }

    @Test
    void unreadableConfigFileIsNamed() {
        assertThatThrownBy(() -> JobConfig.load(concat(MINIMAL, "--config", "/nonexistent/logflow.properties"), Map.of()))
                .hasMessageStartingWith("config file '/nonexistent/logflow.properties': cannot be read");
    }

    @Test
    void environmentNamesAreDerivedFromKeys() {
        assertThat(Settings.envName("postgres.batch-size")).isEqualTo("LOGFLOW_POSTGRES_BATCH_SIZE");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
