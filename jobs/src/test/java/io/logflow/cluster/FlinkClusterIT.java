package io.logflow.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.testing.KinesisEmulator;
import io.logflow.testing.PostgresExtension;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

import static io.logflow.cluster.FlinkRest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded job jar on a real Flink session cluster (one JobManager and two TaskManager processes, see
 * {@link FlinkSessionCluster}), submitted through the REST API, reading CloudWatch payloads from a Kinesis emulator
 * with two shards and writing into a real PostgreSQL, while a {@link Feeder} keeps putting records:
 *
 * <ul>
 *   <li>stopped with a savepoint mid-stream and restored from it with another parallelism, and
 *   <li>with the TaskManager running its tasks killed mid-stream, recovering from the last checkpoint,
 * </ul>
 *
 * <p>every input event is in {@code log_events} exactly once, nothing became a failure, and the windowed metrics
 * ({@code metrics_*}, {@code failed_requests}: see {@link Aggregates}) equal those of an uninterrupted run of the same
 * input, which runs beside the first scenario on a stream of its own. Alone:
 * {@code mvn -B -pl jobs -am verify -Dit.test=FlinkClusterIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class FlinkClusterIT {
    @RegisterExtension static final KinesisEmulator KINESIS = new KinesisEmulator();
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();
    @RegisterExtension static final FlinkSessionCluster FLINK = new FlinkSessionCluster();

    private static final Path JAR = Path.of(System.getProperty("logflow.jobJar", "target/none.jar"));
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final Duration PACE = Duration.ofMillis(250);
    /** 30 batches of 25 records of 4 events: 3,000 events, put over about 8 s of feeding. */
    private static final int BATCHES = 30;
    private static final int RECORDS_PER_BATCH = 25;
    private static final int EVENTS_PER_RECORD = 4;
    /**
     * Class loading and service discovery errors: the job jar must bring every connector, factory and driver it uses.
     * (Flink itself logs a NoClassDefFoundError for Hadoop, which a cluster without Hadoop rightly lacks.)
     */
    private static final Pattern CLASS_LOADING_ERROR = Pattern.compile("Could not find any factor(y|ies)"
            + "|ServiceConfigurationError|NoSuchMethodError|NoSuchFieldError|LinkageError"
            + "|(NoClassDefFoundError|ClassNotFoundException)\\W+(io|org|com|software)[./](?!apache[./]hadoop)");

    /** After the last data event is stored, before the closing events go in (strays reach the metrics input). */
    private static final Duration SETTLE = Duration.ofSeconds(3);

    private static String jarId;
    private static int replacements;
    private static PostgresConfig referenceDb;
    private static String referenceJob;
    private static Map<String, List<String>> referenceAggregates;
    /**
     * Where each cluster log stood when this class began: other test classes share the session cluster (the SQL
     * Gateway's queries), and what their jobs logged is theirs to check.
     */
    private static final Map<Path, Long> LOG_OFFSETS = new HashMap<>();

    /** Jobs a test started: cancelled after it, whatever happened, so the next test finds its slots free. */
    private static final List<String> JOBS_OF_THIS_TEST = new ArrayList<>();

    /** Uploads the jar and starts the uninterrupted reference run over the whole input, put at once. */
    @BeforeAll
    static void uploadJarAndStartTheReferenceRun() throws Exception {
        assertThat(JAR).exists();
        jarId = FlinkSessionCluster.rest().uploadJar(JAR); // starts the cluster if no other class did
        for (Path log : FlinkSessionCluster.logFiles()) {
            LOG_OFFSETS.put(log, Files.size(log));
        }
        ClusterInput input = input();
        KinesisEmulator.createStream("reference", 2);
        KinesisEmulator.putRecords("reference",
                input.batches.stream().flatMap(List::stream).toList(), i -> "pk-" + i);
        referenceDb = POSTGRES.freshDatabase();
        referenceJob = FlinkSessionCluster.rest().run(jarId, jobArgs("reference", referenceDb, 2), null);
    }

    @AfterEach
    void cancelTheJobsOfThisTest() throws Exception {
        for (String job : JOBS_OF_THIS_TEST) {
            FlinkSessionCluster.rest().cancel(job);
        }
        JOBS_OF_THIS_TEST.clear();
    }

    @AfterAll
    static void cancelTheReferenceRun() throws Exception {
        FlinkSessionCluster.rest().cancel(referenceJob);
    }

    private static String started(String jobId) {
        JOBS_OF_THIS_TEST.add(jobId);
        return jobId;
    }

    /**
     * The reference run's aggregates once it has closed every window of the data; it is then cancelled, which frees
     * its slots (and keeps it out of the way of a TaskManager that is killed).
     */
    private static synchronized Map<String, List<String>> referenceAggregates() throws Exception {
        if (referenceAggregates == null) {
            ClusterInput input = input();
            closeWindows("reference", referenceDb, input);
            awaitComplete(referenceDb, input, referenceJob);
            Map<String, List<String>> after = Aggregates.snapshot(referenceDb);
            FlinkSessionCluster.rest().cancel(referenceJob);
            referenceAggregates = after;
        }
        return referenceAggregates;
    }

    @Test
    void stopWithSavepointMidStreamAndRestoreWithAnotherParallelismStoresEveryEventOnce() throws Exception {
        FlinkRest rest = FlinkSessionCluster.rest();
        ClusterInput input = input();
        String stream = "rescale";
        KinesisEmulator.createStream(stream, 2);
        PostgresConfig db = emptyDatabase("cluster_rescale"); // the job applies the schema itself
        int third = input.batchCount() / 3;

        try (Feeder feeder = new Feeder(stream, input, PACE).allow(third)) {
            String first = started(rest.run(jarId, jobArgs(stream, db, 1, "--postgres.migrate-on-start", "true"),
                    null));
            rest.awaitAllTasksRunning(first, TIMEOUT);
            awaitStored(db, 1); // events flow into Postgres
            feeder.awaitSent(third, TIMEOUT);

            String trigger = rest.triggerStop(first, FlinkSessionCluster.savepointDirectory());
            feeder.allow(2 * third); // these arrive while the job stops and while it is down
            String savepoint = rest.awaitSavepoint(first, trigger, TIMEOUT);
            long storedAtStop = count(db, "SELECT count(*) FROM log_events");
            feeder.awaitSent(2 * third, TIMEOUT);
            assertThat(storedAtStop).as("stopped mid-stream").isLessThan(input.dataEvents);

            String second = started(rest.run(jarId, jobArgs(stream, db, 2), savepoint));
            rest.awaitAllTasksRunning(second, TIMEOUT);
            assertThat(rest.vertexParallelisms(first).values()).containsOnly(1);
            assertThat(rest.vertexParallelisms(second).values()).contains(2);
            JsonNode restored = rest.checkpoints(second).path("latest").path("restored");
            assertThat(restored.path("is_savepoint").asBoolean()).as("restored from %s", restored).isTrue();
            assertThat(restored.path("external_path").asText()).isEqualTo(savepoint);

            feeder.allow(input.batchCount()).awaitAll(TIMEOUT);
            assertEveryEventStoredOnceAndTheAggregatesOfAnUninterruptedRun(stream, db, input);
            rest.cancel(second);
        }
        assertNoClassLoadingErrors();
    }

    @Test
    void killedTaskManagerMidStreamRecoversFromTheLastCheckpointAndStoresEveryEventOnce() throws Exception {
        FlinkRest rest = FlinkSessionCluster.rest();
        ClusterInput input = input();
        String stream = "failover";
        KinesisEmulator.createStream(stream, 2);
        PostgresConfig db = POSTGRES.freshDatabase();
        int third = input.batchCount() / 3;

        try (Feeder feeder = new Feeder(stream, input, PACE).allow(third)) {
            String job = started(rest.run(jarId, jobArgs(stream, db, 2), null));
            rest.awaitAllTasksRunning(job, TIMEOUT);
            awaitStored(db, 1);
            feeder.awaitSent(third, TIMEOUT);
            Map<String, List<String>> reference = referenceAggregates(); // done before any TaskManager dies
            long checkpointsBefore = rest.completedCheckpoints(job);
            await("a checkpoint with events in flight", TIMEOUT,
                    () -> rest.completedCheckpoints(job) > checkpointsBefore);

            String victim = rest.taskManagersOf(job).get(0);
            feeder.allow(2 * third); // these arrive while the TaskManager dies and the job recovers
            FlinkSessionCluster.killTaskManager(victim);
            await("recovery of " + job + " from a checkpoint", TIMEOUT, () -> {
                JsonNode restored = rest.checkpoints(job).path("latest").path("restored");
                return restored.isObject() && !restored.path("is_savepoint").asBoolean();
            });
            rest.awaitAllTasksRunning(job, TIMEOUT);
            assertThat(rest.taskManagersOf(job)).doesNotContain(victim);
            FlinkSessionCluster.startTaskManager("tm-replacement-" + ++replacements); // full strength for what follows

            feeder.allow(input.batchCount()).awaitAll(TIMEOUT);
            assertEveryEventStoredOnceAndTheAggregatesOfAnUninterruptedRun(stream, db, input);
            assertThat(reference).isSameAs(referenceAggregates());
            rest.cancel(job);
        }
        assertNoClassLoadingErrors();
    }

    @Test
    void pluginsHoldTheConfiguredMetricReporterAndTheS3FileSystem() throws Exception {
        Configuration conf = GlobalConfiguration.loadConfiguration(
                Path.of(System.getProperty("logflow.flinkConfig", "../deploy/flink/config.yaml"))
                        .getParent().toString());
        String reporter = conf.getString("metrics.reporter.prom.factory.class", null);
        assertThat(services("metrics-prometheus", "org.apache.flink.metrics.reporter.MetricReporterFactory"))
                .contains(reporter);
        assertThat(services("s3-fs-hadoop", "org.apache.flink.core.fs.FileSystemFactory"))
                .anyMatch(factory -> factory.contains("S3FileSystemFactory"));
    }

    /** The service implementations a plugin's jar declares (a plugin is a folder of jars under plugins/). */
    private static List<String> services(String plugin, String service) throws Exception {
        List<String> out = new ArrayList<>();
        try (var jars = Files.list(FlinkSessionCluster.flinkHome().resolve("plugins").resolve(plugin))) {
            for (Path jar : jars.filter(j -> j.toString().endsWith(".jar")).toList()) {
                try (JarFile file = new JarFile(jar.toFile())) {
                    JarEntry entry = file.getJarEntry("META-INF/services/" + service);
                    if (entry != null) {
                        new String(file.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8).lines()
                                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(out::add);
                    }
                }
            }
        }
        return out;
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** The same input for every run: 30 batches of 25 records of 4 events, 3,000 events over 2.5 min of event time. */
    private static ClusterInput input() {
        return new ClusterInput(BATCHES, RECORDS_PER_BATCH, EVENTS_PER_RECORD);
    }

    /**
     * The job's arguments. {@code metrics.out-of-orderness} is longer than the data's event time span, so no data
     * event can be late in any run. The data is a month old, so a watermark that followed the wall clock would make
     * it late: {@code metrics.idle-timeout} is longer than the test, and the closing events close the windows.
     */
    private static List<String> jobArgs(String stream, PostgresConfig db, int parallelism, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--job.name", "logflow-" + stream,
                "--job.parallelism", Integer.toString(parallelism),
                "--job.checkpoint-interval", "1 s",
                "--metrics.out-of-orderness", "10 min",
                "--metrics.idle-timeout", "1 h",
                "--postgres.url", db.url,
                "--postgres.user", db.user));
        KinesisEmulator.sourceSettings(stream).forEach((key, value) -> args.addAll(List.of("--" + key, value)));
        args.addAll(List.of(more));
        return args;
    }

    /** A new database without the schema, on the test server. */
    private static PostgresConfig emptyDatabase(String name) throws Exception {
        PostgresConfig any = POSTGRES.freshDatabase();
        try (Connection c = PostgresExtension.connect(any); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        String url = any.url.replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
        return new PostgresConfig(url, any.user, any.password, any.batchSize, any.flushInterval, any.maxRetries);
    }

    private static void awaitStored(PostgresConfig db, long events) throws Exception {
        await(events + " events in log_events", TIMEOUT, () -> tableExists(db, "log_events")
                && count(db, "SELECT count(*) FROM log_events") >= events);
    }

    /** Each vertex of a job with the records it read and wrote, for failure messages. */
    private static String recordCounts(String jobId) throws Exception {
        StringBuilder out = new StringBuilder();
        for (JsonNode v : FlinkSessionCluster.rest().job(jobId).path("vertices")) {
            out.append("\n  ").append(v.path("name").asText()).append(": in ")
                    .append(v.path("metrics").path("read-records").asLong()).append(", out ")
                    .append(v.path("metrics").path("write-records").asLong());
        }
        return out.toString();
    }

    /** Once every data event is stored, puts the closing events, which move the metrics watermark past the data. */
    private static void closeWindows(String stream, PostgresConfig db, ClusterInput input) throws Exception {
        awaitStored(db, input.dataEvents);
        Thread.sleep(SETTLE.toMillis());
        KinesisEmulator.putRecords(stream, input.closing, i -> "close-" + i);
        awaitStored(db, input.eventIds.size());
    }

    /**
     * Every event of the input is in {@code log_events}, none twice (the table's key is the event id, so a count
     * equal to the input's and the same set of ids say exactly once), none failed; and once the closing events are
     * in, the aggregates become those of the uninterrupted reference run.
     */
    private static void assertEveryEventStoredOnceAndTheAggregatesOfAnUninterruptedRun(
            String stream, PostgresConfig db, ClusterInput input) throws Exception {
        closeWindows(stream, db, input);
        Thread.sleep(2_000); // strays
        assertThat(count(db, "SELECT count(*) FROM log_events")).isEqualTo(input.eventIds.size());
        assertThat(new HashSet<>(PostgresExtension.counts(db, "SELECT event_id::text, 1 FROM log_events").keySet()))
                .isEqualTo(input.eventIds);
        assertThat(PostgresExtension.counts(db, "SELECT reason, count(*) FROM ingest_failures GROUP BY 1")).isEmpty();
        // A routing key's lines of one kind kept one template id through the stop and the restore at another
        // parallelism (or the lost TaskManager), and every id has its log_templates row.
        assertThat(count(db, "SELECT count(*) FROM log_events WHERE template_id IS NULL")).isZero();
        assertThat(PostgresExtension.counts(db, "SELECT routing_key || ' ' || split_part(message, ' ', 1), "
                + "count(DISTINCT template_id) FROM log_events GROUP BY 1").values()).containsOnly(1L);
        assertThat(count(db, "SELECT count(DISTINCT (workspace_id, template_id)) FROM log_events e WHERE NOT EXISTS "
                + "(SELECT 1 FROM log_templates t WHERE t.workspace_id = coalesce(e.workspace_id, '-') "
                + "AND t.template_id = e.template_id)")).isZero();

        Map<String, List<String>> reference = referenceAggregates();
        awaitComplete(db, input, null);
        assertThat(Aggregates.snapshot(db)).isEqualTo(reference);
    }

    /** Waits until the metrics of every window of the data are written ({@link Aggregates#complete}). */
    private static void awaitComplete(PostgresConfig db, ClusterInput input, String jobForDiagnostics)
            throws Exception {
        long started = System.nanoTime();
        try {
            await("every window of the data in the metrics tables", TIMEOUT, () -> Aggregates.complete(db, input));
        } catch (AssertionError timedOut) {
            throw new AssertionError(timedOut.getMessage() + ": totals " + Aggregates.totals(db) + " of "
                    + input.dataEvents + " events and " + input.errorEvents() + " errors"
                    + (jobForDiagnostics == null ? "" : "; records in and out per vertex "
                    + recordCounts(jobForDiagnostics)));
        }
        System.out.printf("metrics of %s complete %d s after the closing events%n", db.url,
                (System.nanoTime() - started) / 1_000_000_000);
    }

    private static void assertNoClassLoadingErrors() throws Exception {
        for (Path log : FlinkSessionCluster.logFiles()) {
            byte[] bytes = Files.readAllBytes(log);
            int from = (int) Math.min(bytes.length, LOG_OFFSETS.getOrDefault(log, 0L));
            List<String> errors = new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8).lines()
                    .filter(line -> CLASS_LOADING_ERROR.matcher(line).find()).toList();
            assertThat(errors).as("class loading errors in %s", log.getFileName()).isEmpty();
        }
    }

    private static boolean tableExists(PostgresConfig db, String table) throws SQLException {
        return count(db, "SELECT count(*) FROM information_schema.tables WHERE table_name = '" + table + "'") > 0;
    }

    private static long count(PostgresConfig db, String sql) throws SQLException {
        return PostgresExtension.count(db, sql);
    }
}
