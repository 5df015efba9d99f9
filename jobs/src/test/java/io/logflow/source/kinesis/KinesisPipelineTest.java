package io.logflow.source.kinesis;

import io.logflow.app.JobConfig;
import io.logflow.app.LogflowJob;
import io.logflow.decode.CloudWatchPayloads;
import io.logflow.decode.DecodeReasons;
import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.testing.JobHistory;
import io.logflow.testing.KinesisEmulator;
import io.logflow.testing.PostgresExtension;
import io.logflow.testing.TestClusters;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static io.logflow.source.kinesis.CloudWatchInput.cut;
import static io.logflow.source.kinesis.CloudWatchInput.events;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The logflow topology fed by Kinesis (the emulator) into a real PostgreSQL: rows in {@code log_events} are the log
 * events of the DATA messages, rows in {@code ingest_failures} are the broken records by reason, control messages are
 * in neither; a second run over the same stream adds no row.
 */
class KinesisPipelineTest {
    @RegisterExtension static final KinesisEmulator KINESIS = new KinesisEmulator();
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void cloudWatchEventsLandInPostgresBrokenRecordsAsFailuresAndARerunAddsNothing() throws Exception {
        CloudWatchInput input = new CloudWatchInput()
                .good(20)
                .control(2)
                .broken(DecodeReasons.TRUNCATED_GZIP, cut(CloudWatchPayloads.dataMessage("1", "g", "s", events(0, 4))))
                .broken(DecodeReasons.NOT_GZIP, "{\"not\":\"compressed\"}".getBytes())
                .broken(DecodeReasons.INVALID_JSON, CloudWatchPayloads.gzip("<html>oops</html>"))
                .broken(DecodeReasons.DECOMPRESSED_TOO_LARGE, CloudWatchPayloads.dataMessage("1", "g", "s",
                        List.of(new CloudWatchPayloads.LogEvent("big", 1, "y".repeat(70_000)))));
        String stream = "pipeline";
        KinesisEmulator.createStream(stream, 2);
        KinesisEmulator.putRecords(stream, input.records, i -> "pk-" + i);
        PostgresConfig db = POSTGRES.freshDatabase();

        runUntilStored(stream, db, input);

        assertThat(count(db, "SELECT count(*) FROM log_events")).isEqualTo(input.expectedEvents.size());
        assertThat(count(db, "SELECT count(*) FROM log_events WHERE source = 'CLOUDWATCH'"))
                .isEqualTo(input.expectedEvents.size());
        assertThat(PostgresExtension.counts(db, "SELECT reason, count(*) FROM ingest_failures GROUP BY 1 ORDER BY 1"))
                .isEqualTo(input.expectedFailures);
        assertThat(count(db, "SELECT count(*) FROM ingest_failures WHERE stage = 'DECODE'"))
                .isEqualTo(input.failureCount());
        assertThat(new HashSet<>(eventIds(db))).isEqualTo(input.expectedEvents.keySet());

        runUntilStored(stream, db, input); // the same records again: deterministic ids, idempotent sinks
        assertThat(count(db, "SELECT count(*) FROM log_events")).isEqualTo(input.expectedEvents.size());
        assertThat(count(db, "SELECT count(*) FROM ingest_failures")).isEqualTo(input.failureCount());
    }

    /** Runs the job until every expected row is in Postgres, lets a little more time pass for strays, then cancels. */
    private void runUntilStored(String stream, PostgresConfig db, CloudWatchInput input) throws Exception {
        List<String> args = new ArrayList<>(List.of(PostgresExtension.jobArgs(db)));
        args.addAll(List.of("--job.parallelism", "2", "--job.checkpoint-interval", "1 s",
                "--kinesis.max-decompressed-bytes", "64 kb"));
        KinesisEmulator.sourceSettings(stream).forEach((key, value) -> args.addAll(List.of("--" + key, value)));
        JobConfig config = JobConfig.load(args.toArray(new String[0]), Map.of());

        JobClient client = LogflowJob.fromConfig(config)
                .executeAsync(StreamExecutionEnvironment.getExecutionEnvironment());
        try {
            JobHistory.awaitUntil(FLINK, client, TIMEOUT, "rows in Postgres",
                    () -> count(db, "SELECT count(*) FROM log_events") >= input.expectedEvents.size()
                            && count(db, "SELECT count(*) FROM ingest_failures") >= input.failureCount());
            Thread.sleep(1000);
        } finally {
            client.cancel().get();
        }
    }

    private static long count(PostgresConfig db, String sql) throws SQLException {
        return PostgresExtension.count(db, sql);
    }

    private static List<String> eventIds(PostgresConfig db) throws SQLException {
        return new ArrayList<>(PostgresExtension.counts(db,
                "SELECT event_id::text, 1 FROM log_events").keySet());
    }
}
