package io.logflow.app;

import io.logflow.decode.CloudWatchPayloads;
import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.testing.ElasticsearchExtension;
import io.logflow.testing.HostileLines;
import io.logflow.testing.JobHistory;
import io.logflow.testing.KafkaExtension;
import io.logflow.testing.KinesisEmulator;
import io.logflow.testing.PostgresExtension;
import io.logflow.testing.TestClusters;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lines crafted to break stores ({@link HostileLines}), mixed into good ones, through the whole job from each source
 * into the real PostgreSQL and Elasticsearch: every line is stored as one event (none of them is bad input), the
 * counts reconcile exactly, and the job never restarts. Before strings were made storable at the parse boundary, one
 * such line failed every batch it was in and put the job into a restart loop for every tenant.
 */
class HostileInputPipelineTest {
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();
    @RegisterExtension static final ElasticsearchExtension ELASTICSEARCH = new ElasticsearchExtension();
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension static final KinesisEmulator KINESIS = new KinesisEmulator();

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** A JSON line and the stack trace printed after it: one event. */
    private static final List<String> JSON_WITH_TRACE = List.of(
            "{\"level\":\"error\",\"message\":\"payment failed\"}",
            "\tat com.example.Checkout.pay(Checkout.java:42)");

    @TempDir Path dir;

    @Test
    void hostileLinesInAnUploadAreStoredBesideTheGoodOnesWithoutARestart() throws Exception {
        List<String> lines = HostileLines.mixed(20);
        lines.add(HostileLines.tooLong());
        lines.addAll(JSON_WITH_TRACE);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        for (String line : lines) {
            file.write(line.getBytes(StandardCharsets.UTF_8));
            file.write('\n');
        }
        // bytes that are no UTF-8 at all: a CESU-8 surrogate, a lone continuation byte, FF FE
        byte[] invalid = {'b', 'a', 'd', ' ', (byte) 0xED, (byte) 0xA0, (byte) 0x80, ' ', (byte) 0x80, ' ',
                (byte) 0xFF, (byte) 0xFE, '\n'};
        file.write(invalid);
        Path upload = dir.resolve("acme/app/2026/11/02/hostile.log");
        Files.createDirectories(upload.getParent());
        Files.write(upload, file.toByteArray());
        // the trace joins its JSON line; the invalid bytes are one more line; one line is too long
        long events = lines.size() - JSON_WITH_TRACE.size() + 1 + 1 - 1;
        String prefix = ElasticsearchExtension.uniquePrefix();

        PostgresConfig db = POSTGRES.freshDatabase();
        List<String> args = jobArgs(db, prefix);
        args.addAll(List.of("--uploads.path", dir.toUri().toString()));
        JobClient job = start(args);
        try {
            awaitStatus(job, JobStatus.FINISHED);
            JobHistory.assertNoFailure(FLINK, job.getJobID());
        } finally {
            cancelIfRunning(job);
        }

        assertStoredOnce(db, prefix, events);
        // the file's row in uploads adds up, and agrees with what is in the tables
        assertThat(PostgresExtension.counts(db, "SELECT status || ' ' || lines || '=' || events || '+' || failures "
                + "|| '+' || skipped, 1 FROM uploads"))
                .containsOnlyKeys("DONE " + (events + 1) + "=" + events + "+1+0");
        // the windowed metrics (their JDBC sinks cannot isolate a row) counted every event
        assertThat(PostgresExtension.count(db, "SELECT coalesce(sum(events), 0) FROM metrics_minute"))
                .isEqualTo(events);
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM metrics_templates_hour")).isPositive();
        // log_templates (its sink cannot isolate a row either): every event's template has its row, the rows count
        // every event with a message, and the hostile lines' templates are among them, made storable
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events e WHERE template_id IS NOT NULL "
                + "AND NOT EXISTS (SELECT 1 FROM log_templates t WHERE t.template_id = e.template_id)")).isZero();
        assertThat(PostgresExtension.count(db, "SELECT coalesce(sum(events), 0) FROM log_templates"))
                .isEqualTo(PostgresExtension.count(db, "SELECT count(*) FROM log_events WHERE template_id IS NOT NULL"))
                .isPositive();
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_templates "
                + "WHERE example LIKE '%' || chr(65533) || '%'")).isPositive();
    }

    @Test
    void hostileCloudWatchEventsFromKinesisAreStoredWithoutARestart() throws Exception {
        List<String> messages = HostileLines.mixed(20);
        messages.add(HostileLines.tooLong());
        // One payload per line, each line a CloudWatch event; escapes carry NUL and unpaired surrogates, and one log
        // group name holds a NUL too. The last payload holds a JSON line and the trace after it: one event.
        List<byte[]> payloads = new ArrayList<>();
        long ts = 1_793_610_000_000L; // 2026-11-02T09:00:00Z
        for (int i = 0; i < messages.size(); i++) {
            String group = i == 3 ? "/ecs/bad\u0000group" : "/ecs/api";
            payloads.add(payload(group, ts, i, List.of(messages.get(i))));
        }
        payloads.add(payload("/ecs/api", ts, messages.size(), JSON_WITH_TRACE));
        long events = messages.size() - 1 + 1; // one line too long; the trace payload is one more event
        String stream = "hostile";
        KinesisEmulator.createStream(stream, 1);
        KinesisEmulator.putRecords(stream, payloads, i -> "pk");
        String prefix = ElasticsearchExtension.uniquePrefix();

        PostgresConfig db = POSTGRES.freshDatabase();
        List<String> args = jobArgs(db, prefix);
        KinesisEmulator.sourceSettings(stream).forEach((key, value) -> args.addAll(List.of("--" + key, value)));
        runUntilStored(args, db, events);

        assertStoredOnce(db, prefix, events);
    }

    @Test
    void hostileObjectsFromKafkaAreStoredWithoutARestart() throws Exception {
        String topic = KafkaExtension.uniqueTopic("hostile");
        KafkaExtension.createTopic(topic, 2);
        List<ProducerRecord<String, String>> sent = new ArrayList<>();
        List<String> lines = HostileLines.mixed(20);
        lines.add(HostileLines.tooLong());
        for (String line : lines) {
            String object = line.startsWith("{") ? line : "{\"message\":" + HostileLines.jsonString(line) + "}";
            sent.add(new ProducerRecord<>(topic, "acme", object));
        }
        KafkaExtension.produce(topic, sent);
        String prefix = ElasticsearchExtension.uniquePrefix();

        PostgresConfig db = POSTGRES.freshDatabase();
        List<String> args = jobArgs(db, prefix);
        args.addAll(List.of("--kafka.bootstrap-servers", KafkaExtension.bootstrapServers(),
                "--ingest.kafka.topics", topic, "--ingest.kafka.group-id", "hostile",
                "--ingest.kafka.starting-offsets", "EARLIEST", "--workspaces.enabled", "false"));
        runUntilStored(args, db, sent.size() - 1);

        assertStoredOnce(db, prefix, sent.size() - 1);
    }

    /** A gzip'd CloudWatch DATA message of {@code lines}, every string escaped as a crafted payload could. */
    private static byte[] payload(String group, long ts, int index, List<String> lines) {
        StringBuilder events = new StringBuilder();
        for (int k = 0; k < lines.size(); k++) {
            long time = ts + index * 10L + k;
            events.append(k == 0 ? "" : ",").append("{\"id\":\"")
                    .append(CloudWatchPayloads.eventId(time, 1, index * 10 + k)).append("\",\"timestamp\":")
                    .append(time).append(",\"message\":").append(HostileLines.jsonString(lines.get(k))).append('}');
        }
        return CloudWatchPayloads.gzip("{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"111111111111\",\"logGroup\":"
                + HostileLines.jsonString(group) + ",\"logStream\":\"s1\",\"subscriptionFilters\":[\"f\"],"
                + "\"logEvents\":[" + events + "]}");
    }

    private static List<String> jobArgs(PostgresConfig db, String esPrefix) {
        List<String> args = new ArrayList<>(List.of(PostgresExtension.jobArgs(db)));
        args.addAll(List.of("--job.parallelism", "2", "--job.checkpoint-interval", "1 s",
                "--elasticsearch.hosts", ElasticsearchExtension.url(),
                "--elasticsearch.index-pattern", esPrefix + "logflow-<workspace>-<yyyy.MM.dd>",
                "--elasticsearch.template-name", esPrefix + "logflow-events",
                "--elasticsearch.replicas", "0",
                "--elasticsearch.retention", "3650 d", // the events' days are in the past: the sweep must keep them
                "--elasticsearch.bulk-flush-interval", "200 ms"));
        return args;
    }

    private static JobClient start(List<String> args) throws Exception {
        JobConfig config = JobConfig.load(args.toArray(new String[0]), Map.of());
        return LogflowJob.fromConfig(config).executeAsync(StreamExecutionEnvironment.getExecutionEnvironment());
    }

    /**
     * An unbounded run: waits until {@code events} rows are in log_events and the failure is in ingest_failures, then
     * for stragglers, then cancels.
     */
    private static void runUntilStored(List<String> args, PostgresConfig db, long events) throws Exception {
        JobClient job = start(args);
        try {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (PostgresExtension.count(db, "SELECT count(*) FROM log_events") < events
                    || PostgresExtension.count(db, "SELECT count(*) FROM ingest_failures") < 1) {
                assertThat(job.getJobStatus().get()).as("the job's status")
                        .isIn(JobStatus.INITIALIZING, JobStatus.CREATED, JobStatus.RUNNING);
                JobHistory.assertNoFailure(FLINK, job.getJobID());
                assertThat(System.nanoTime()).as("%d events stored within %s", events, TIMEOUT).isLessThan(deadline);
                Thread.sleep(250);
            }
            Thread.sleep(2000); // a checkpoint or two more: every sink flushes, and a duplicate would show
            JobHistory.assertNoFailure(FLINK, job.getJobID());
        } finally {
            cancelIfRunning(job);
        }
    }

    /** A job a failed assertion left behind would hold the cluster's slots for the next test. */
    private static void cancelIfRunning(JobClient job) throws Exception {
        if (!job.getJobStatus().get().isGloballyTerminalState()) {
            job.cancel().get();
        }
    }

    private static void awaitStatus(JobClient job, JobStatus status) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (job.getJobStatus().get() != status) {
            JobHistory.assertNoFailure(FLINK, job.getJobID());
            assertThat(System.nanoTime()).as("job %s within %s", status, TIMEOUT).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    /**
     * Every line one event in PostgreSQL but the one too long, which is the only failure; every event in Elasticsearch
     * or an es_rejected failure.
     */
    private static void assertStoredOnce(PostgresConfig db, String esPrefix, long events) throws Exception {
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events"))
                .as("events; failures by reason: %s, events by format: %s",
                        PostgresExtension.counts(db, "SELECT reason, count(*) FROM ingest_failures GROUP BY 1"),
                        PostgresExtension.counts(db, "SELECT format, count(*) FROM log_events GROUP BY 1"))
                .isEqualTo(events);
        assertThat(PostgresExtension.counts(db, "SELECT reason, count(*) FROM ingest_failures "
                + "WHERE reason <> 'es_rejected' GROUP BY 1")).containsOnly(Map.entry("line_too_long", 1L));
        assertThat(PostgresExtension.count(db,
                "SELECT count(*) FROM log_events WHERE message = 'payment failed' OR message LIKE 'good %'"))
                .as("the good lines and the JSON line followed by a trace").isPositive();
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events WHERE message LIKE '%' || chr(65533) || '%' "
                + "AND message NOT LIKE 'bad %' AND NOT coalesce(fields ? 'logflow.sanitized', false)"))
                .as("every replaced character is recorded on its event").isZero();
        long rejected = PostgresExtension.count(db,
                "SELECT count(*) FROM ingest_failures WHERE reason = 'es_rejected'");
        long indexed = 0;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (indexed + rejected < events && System.nanoTime() < deadline) {
            Thread.sleep(250);
            ElasticsearchExtension.refresh();
            indexed = ElasticsearchExtension.count(esPrefix + "logflow-*", "{\"query\":{\"match_all\":{}}}");
            rejected = PostgresExtension.count(db,
                    "SELECT count(*) FROM ingest_failures WHERE reason = 'es_rejected'");
        }
        assertThat(indexed + rejected).as("indexed %d + rejected %d", indexed, rejected).isEqualTo(events);
    }
}
