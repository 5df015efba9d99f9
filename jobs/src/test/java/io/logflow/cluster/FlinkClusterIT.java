package io.logflow.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.logflow.config.JobConfig.PostgresConfig;
import io.logflow.testing.KinesisEmulator;
import io.logflow.testing.PostgresExtension;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
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
import java.util.HashSet;
import java.util.List;
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
 * <p>every input event is in {@code log_events} exactly once, and nothing became a failure. Alone:
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

    private static String jarId;
    private static int replacements;

    @BeforeAll
    static void uploadJar() throws Exception {
        assertThat(JAR).exists();
        jarId = FlinkSessionCluster.rest().uploadJar(JAR);
    }

    @Test
    void stopWithSavepointMidStreamAndRestoreWithAnotherParallelismStoresEveryEventOnce() throws Exception {
        FlinkRest rest = FlinkSessionCluster.rest();
        ClusterInput input = new ClusterInput(BATCHES, RECORDS_PER_BATCH, EVENTS_PER_RECORD);
        String stream = "rescale";
        KinesisEmulator.createStream(stream, 2);
        PostgresConfig db = emptyDatabase("cluster_rescale"); // the job applies the schema itself
        int third = input.batchCount() / 3;

        try (Feeder feeder = new Feeder(stream, input, PACE).allow(third)) {
            String first = rest.run(jarId, jobArgs(stream, db, 1, "--postgres.migrate-on-start", "true"), null);
            rest.awaitAllTasksRunning(first, TIMEOUT);
            awaitStored(db, 1); // events flow into Postgres
            feeder.awaitSent(third, TIMEOUT);

            String trigger = rest.triggerStop(first, FlinkSessionCluster.savepointDirectory());
            feeder.allow(2 * third); // these arrive while the job stops and while it is down
            String savepoint = rest.awaitSavepoint(first, trigger, TIMEOUT);
            long storedAtStop = count(db, "SELECT count(*) FROM log_events");
            feeder.awaitSent(2 * third, TIMEOUT);
            assertThat(storedAtStop).as("stopped mid-stream").isLessThan(input.eventIds.size());

            String second = rest.run(jarId, jobArgs(stream, db, 2), savepoint);
            rest.awaitAllTasksRunning(second, TIMEOUT);
            assertThat(rest.vertexParallelisms(first).values()).containsOnly(1);
            assertThat(rest.vertexParallelisms(second).values()).contains(2);
            JsonNode restored = rest.checkpoints(second).path("latest").path("restored");
            assertThat(restored.path("is_savepoint").asBoolean()).as("restored from %s", restored).isTrue();
            assertThat(restored.path("external_path").asText()).isEqualTo(savepoint);

            feeder.allow(input.batchCount()).awaitAll(TIMEOUT);
            assertEveryEventStoredOnce(db, input);
            rest.cancel(second);
        }
        assertNoClassLoadingErrors();
    }

    @Test
    void killedTaskManagerMidStreamRecoversFromTheLastCheckpointAndStoresEveryEventOnce() throws Exception {
        FlinkRest rest = FlinkSessionCluster.rest();
        ClusterInput input = new ClusterInput(BATCHES, RECORDS_PER_BATCH, EVENTS_PER_RECORD);
        String stream = "failover";
        KinesisEmulator.createStream(stream, 2);
        PostgresConfig db = POSTGRES.freshDatabase();
        int third = input.batchCount() / 3;

        try (Feeder feeder = new Feeder(stream, input, PACE).allow(third)) {
            String job = rest.run(jarId, jobArgs(stream, db, 2), null);
            rest.awaitAllTasksRunning(job, TIMEOUT);
            awaitStored(db, 1);
            feeder.awaitSent(third, TIMEOUT);
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
            assertEveryEventStoredOnce(db, input);
            rest.cancel(job);
        }
        assertNoClassLoadingErrors();
    }

    @Test
    void pluginsHoldTheConfiguredMetricReporterAndTheS3FileSystem() throws Exception {
        Configuration conf = GlobalConfiguration.loadConfiguration(
                Path.of(System.getProperty("logflow.flinkConfig", "../deploy/flink/config.yaml")).getParent().toString());
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

    private static List<String> jobArgs(String stream, PostgresConfig db, int parallelism, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--job.name", "logflow-" + stream,
                "--job.parallelism", Integer.toString(parallelism),
                "--job.checkpoint-interval", "1 s",
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

    /**
     * Every event of the input is in {@code log_events}, none twice (the table's key is the event id, so a count
     * equal to the input's and the same set of ids say exactly once), none failed; waits a little for strays.
     */
    private static void assertEveryEventStoredOnce(PostgresConfig db, ClusterInput input) throws Exception {
        awaitStored(db, input.eventIds.size());
        Thread.sleep(2_000);
        assertThat(count(db, "SELECT count(*) FROM log_events")).isEqualTo(input.eventIds.size());
        assertThat(new HashSet<>(PostgresExtension.counts(db, "SELECT event_id::text, 1 FROM log_events").keySet()))
                .isEqualTo(input.eventIds);
        assertThat(PostgresExtension.counts(db, "SELECT reason, count(*) FROM ingest_failures GROUP BY 1")).isEmpty();
    }

    private static void assertNoClassLoadingErrors() throws Exception {
        for (Path log : FlinkSessionCluster.logFiles()) {
            List<String> errors = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
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
