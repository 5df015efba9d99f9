package io.logflow.demo;

import io.logflow.app.Failures;
import io.logflow.app.JobConfig;
import io.logflow.app.JobFailedException;
import io.logflow.app.LocalCluster;
import io.logflow.app.LogflowJob;
import io.logflow.app.StartupChecks;
import io.logflow.app.StartupException;
import io.logflow.app.WorkspaceCommands;
import io.logflow.config.ConfigException;
import io.logflow.config.Settings;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * README command 1: the real job on a local MiniCluster over the sample logs in {@code deploy/samples/logs}, with the
 * workspace registrations of {@code deploy/samples/workspaces.ndjson} (the file form of the Kafka topic), into an
 * embedded PostgreSQL whose data stays in {@code target/demo/}. Any job key can be overridden ({@code --uploads.path
 * file:///my/logs}); with {@code --postgres.url} it writes to your own database instead. {@code --hold} keeps the
 * embedded database running after the summary, for psql.
 */
public final class Demo {
    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
    static final int DEMO_PORT = 54329;
    static final String HOLD = "--hold";
    static final String DATABASE = "logflow";

    private Demo() {}

    /** Runs the demo and ends the JVM with its exit code: the job leaves Flink's client threads behind. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the demo and returns its exit code, with the job jar's codes and lines: 0 done, 1 the job failed, 2 a
     * configuration error (also a missing upload folder or registrations file), 3 the database cannot be reached.
     * Every error is one line on stderr; the stack trace, if any, goes to the log.
     */
    static int execute(String[] args) {
        try {
            return run(args);
        } catch (ConfigException e) {
            return error("configuration error: " + e.getMessage(), 2);
        } catch (StartupException e) {
            return error("cannot start: " + e.getMessage(), e.exitCode());
        } catch (JobFailedException e) {
            return error(e.getMessage(), 1);
        } catch (Exception e) {
            LOG.error("logflow demo failed", e);
            return error("demo failed: " + Failures.rootCause(e), 1);
        }
    }

    private static int error(String line, int code) {
        System.err.println("logflow: " + line);
        return code;
    }

    /**
     * The demo; returns its exit code. The configuration, the upload folder and the registrations file are checked
     * before the embedded database starts. Errors are thrown for {@link #execute} to report in one line.
     */
    public static int run(String[] args) throws Exception {
        boolean hold = List.of(args).contains(HOLD);
        List<String> jobArgs = new ArrayList<>(List.of(
                "--uploads.path", Path.of("deploy/samples/logs").toAbsolutePath().toUri().toString(),
                // the stand-in for the registrations topic: the same JSON records, read from a file
                "--workspaces.file", Path.of("deploy/samples/workspaces.ndjson").toAbsolutePath().toUri().toString(),
                "--job.name", "logflow-demo",
                // The samples are files of a past day, read in any order: none of their events should count as late.
                "--metrics.out-of-orderness", "7 d",
                "--job.parallelism", "2",
                "--job.checkpoint-interval", "2 s"));
        jobArgs.addAll(List.of(strip(args)));
        Map<String, String> given = Settings.parseArgs(strip(args));
        boolean ownPostgres = !given.containsKey("postgres.url") && System.getenv("LOGFLOW_POSTGRES_URL") == null;
        int port = 0;
        if (ownPostgres) {
            // Its URL is known before it starts, so the whole configuration is checked first.
            port = isFree(DEMO_PORT) ? DEMO_PORT : EmbeddedPostgresServer.freePort();
            jobArgs.add("--postgres.url");
            jobArgs.add("jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE);
        }
        JobConfig config = JobConfig.load(jobArgs.toArray(new String[0]), System.getenv());
        if (config.checkOnStart) {
            config.uploads.ifPresent(StartupChecks::checkUploads);
            config.workspaces.map(w -> w.file).ifPresent(StartupChecks::checkRegistrationsFile);
        }

        EmbeddedPostgresServer postgres = null;
        try {
            if (ownPostgres) {
                File workDir = new File("target/demo").getAbsoluteFile();
                say("starting embedded PostgreSQL on 127.0.0.1:" + port + " (data in " + workDir + "/pgdata)");
                postgres = EmbeddedPostgresServer.start(workDir, port, true);
                postgres.createDatabase(DATABASE);
            }
            say("applying schema migrations to " + config.postgres.url);
            StartupChecks.prepare(config, true, Demo::say);

            say("running the job on a local MiniCluster over " + config.uploads.map(u -> u.path).orElse("its sources")
                    + " (" + config.restarts.describe() + ")");
            DemoProgress progress = new DemoProgress(config.postgres, Demo::say);
            long start = System.nanoTime();
            try (LocalCluster cluster = new LocalCluster(clusterConfiguration())) {
                StreamExecutionEnvironment env = cluster.environment();
                config.restarts.applyTo(env);
                JobClient job = LogflowJob.fromConfig(config).executeAsync(env);
                cluster.await(job, config.restarts, Demo::say, () -> progress.print((System.nanoTime() - start) / 1e9));
            }
            say(String.format("job finished in %.1f s", (System.nanoTime() - start) / 1e9));
            summary(config, postgres);
            if (config.workspaces.isPresent()) {
                System.out.println();
                System.out.println("Workspaces (logflow workspace list):");
                WorkspaceCommands.run(new String[] {"list", "--postgres.url", config.postgres.url,
                    "--postgres.user", config.postgres.user, "--postgres.password", config.postgres.password});
            }
            if (postgres != null && hold) {
                say("holding PostgreSQL on port " + postgres.port() + " for psql; press Enter (or Ctrl-C) to stop");
                System.in.read();
            }
            return 0;
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    private static String[] strip(String[] args) {
        return List.of(args).stream().filter(a -> !a.equals(HOLD)).toArray(String[]::new);
    }

    private static Configuration clusterConfiguration() {
        Configuration conf = new Configuration();
        conf.set(CoreOptions.TMP_DIRS, new File("target/demo/flink-tmp").getAbsolutePath());
        return conf;
    }

    private static void summary(JobConfig config, EmbeddedPostgresServer postgres) throws SQLException {
        try (Connection c = connect(config); Statement st = c.createStatement()) {
            System.out.println();
            System.out.println("Events per level (log_events):");
            print(st, "SELECT coalesce(level, '-') AS level, count(*) FROM log_events GROUP BY level "
                    + "ORDER BY array_position(ARRAY['TRACE','DEBUG','INFO','WARN','ERROR','FATAL'], level)");
            System.out.println("Events per source (CLOUDWATCH: the Firehose-form sample of a Lambda's log group):");
            print(st, "SELECT source, count(*) FROM log_events GROUP BY 1 ORDER BY 1");
            System.out.println("Events per workspace:");
            print(st, "SELECT coalesce(workspace_id, '(none)'), count(*) FROM log_events GROUP BY 1 ORDER BY 1");
            System.out.println("Uploads: status and events per file (uploads):");
            print(st, "SELECT regexp_replace(path, '^.*/samples/logs/', '') || ' ' || status, events FROM uploads "
                    + "ORDER BY 1");
            System.out.println("Failures per reason (ingest_failures):");
            print(st, "SELECT stage || '/' || reason, count(*) FROM ingest_failures GROUP BY 1 ORDER BY 1");
            if (config.metrics.isPresent()) {
                metricsSummary(st);
            }
        }
        System.out.println();
        System.out.println("The data is in PostgreSQL: " + config.postgres.url + " (tables log_events, "
                + "ingest_failures, uploads, workspaces, log_templates, metrics_*, failed_requests).");
        if (postgres != null) {
            System.out.println("To query it with psql, run the demo with --hold (mvn -Pdemo -DskipTests verify "
                    + "-Ddemo.args=--hold), then in another shell:");
            System.out.println("  psql -h 127.0.0.1 -p " + postgres.port() + " -U postgres logflow -c "
                    + "\"SELECT event_time, level, message FROM log_events WHERE level = 'ERROR' ORDER BY event_time\"");
        } else {
            System.out.println("Query it with: psql '" + config.postgres.url.replace("jdbc:", "") + "'");
        }
        System.out.println("Re-running the demo adds no rows: event ids are derived from file, version and line.");
        System.out.println("Elasticsearch: " + (config.elasticsearch.isPresent() ? "on" : "off (set elasticsearch.hosts)")
                + "; Kafka dead-letter topic: " + (config.dlq.isPresent() ? "on" : "off (set dlq.kafka.enabled)")
                + ". The tests run both against real servers.");
    }

    /** A few rows of each aggregate the job's Flink SQL wrote (sql/flink/metrics.sql). */
    private static void metricsSummary(Statement st) throws SQLException {
        System.out.println("Busiest minutes (metrics_minute: events per workspace and service, errors in brackets):");
        print(st, "SELECT to_char(window_start, 'YYYY-MM-DD HH24:MI') || ' ' || workspace_id || '/' || service"
                + " || ' [' || sum(errors) || ' errors]', sum(events) FROM metrics_minute"
                + " GROUP BY window_start, workspace_id, service ORDER BY sum(events) DESC, 1 LIMIT 5");
        System.out.println("Events per UTC day and ISO week (metrics_day, metrics_week):");
        print(st, "SELECT 'day of ' || to_char(window_start, 'YYYY-MM-DD') || ' ' || workspace_id, sum(events)"
                + " FROM metrics_day GROUP BY window_start, workspace_id"
                + " UNION ALL SELECT 'week from ' || to_char(window_start, 'YYYY-MM-DD Dy') || ' ' || workspace_id,"
                + " sum(events) FROM metrics_week GROUP BY window_start, workspace_id ORDER BY 1");
        System.out.println("Durations (metrics_latency_minute: p50/p90/p99 ms, then the number of timed events):");
        print(st, "SELECT to_char(window_start, 'HH24:MI') || ' ' || workspace_id || '/' || service || ' '"
                + " || round(duration_p50_ms::numeric, 1) || '/' || round(duration_p90_ms::numeric, 1) || '/'"
                + " || round(duration_p99_ms::numeric, 1), events FROM metrics_latency_minute"
                + " ORDER BY events DESC, 1 LIMIT 5");
        System.out.println("Top message templates per hour (metrics_templates_hour):");
        print(st, "SELECT to_char(window_start, 'HH24:MI') || ' ' || workspace_id || ' #' || rank || ' '"
                + " || left(template, 40), events FROM metrics_templates_hour WHERE rank <= 3"
                + " ORDER BY window_start, workspace_id, rank LIMIT 9");
        System.out.println("Failed requests (failed_requests, then their events):");
        print(st, "SELECT workspace_id || ' ' || left(request_id, 12) || ' ' || reason || ': '"
                + " || left(coalesce(error_message, first_message, ''), 40), events FROM failed_requests"
                + " ORDER BY started_at LIMIT 5");
    }

    private static void print(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            boolean any = false;
            while (rs.next()) {
                any = true;
                System.out.printf("  %-50s %6d%n", rs.getString(1), rs.getLong(2));
            }
            if (!any) {
                System.out.println("  (none)");
            }
        }
    }

    private static Connection connect(JobConfig config) throws SQLException {
        return DriverManager.getConnection(config.postgres.url, config.postgres.user, config.postgres.password);
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void say(String line) {
        System.out.println("logflow demo: " + line);
    }
}
