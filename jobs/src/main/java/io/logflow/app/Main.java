package io.logflow.app;

import io.logflow.config.ConfigException;
import io.logflow.config.Settings;
import io.logflow.sink.elasticsearch.ElasticsearchConfig;
import io.logflow.sink.elasticsearch.OldIndicesMigration;
import io.logflow.sink.postgres.Migrations;
import io.logflow.sink.postgres.Partitions;
import io.logflow.sink.postgres.PostgresOptions;
import io.logflow.sink.postgres.PostgresConfig;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Entry point of the job jar.
 *
 * <pre>
 *   flink run logflow-jobs.jar [run] --key value ...   run the job (what a Flink cluster calls)
 *   java -jar logflow-jobs.jar migrate --postgres.url ...   apply the Postgres schema migrations
 *   ... workspace put|delete|list|status ...            register tenants (see the README)
 *   ... catalog --catalog.postgres.user ROLE ...         print the analysts' Flink SQL init script
 * </pre>
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    /** The line {@link #execute} printed for its last error, for {@link #exit} inside a JobManager. */
    private static volatile String lastError = "";

    private Main() {}

    public static void main(String[] args) throws Exception {
        String command = command(args);
        int code = execute(args);
        // The workspace commands leave client threads (Kafka) behind: end the JVM.
        if (code != 0 || command.equals("workspace")) {
            exit(code);
        }
    }

    private static String command(String[] args) {
        return args.length > 0 && !args[0].startsWith("--") ? args[0] : "run";
    }

    /**
     * Runs a command and returns its exit code: 0 done, 1 the job or the command failed, 2 a configuration error
     * (also an upload folder that is not there, a database without the jar's schema), 3 the database cannot be
     * reached. Every error is one line on stderr; the stack trace, if any, goes to the log.
     */
    static int execute(String[] args) {
        String command = command(args);
        String[] rest = args.length > 0 && !args[0].startsWith("--") ? Arrays.copyOfRange(args, 1, args.length) : args;
        try {
            switch (command) {
                case "run":
                    run(rest);
                    return 0;
                case "migrate":
                    migrate(rest);
                    return 0;
                case "retention":
                    retention(rest);
                    return 0;
                case "backfill":
                    run(backfillArgs(rest));
                    return 0;
                case "replay":
                    replay(rest);
                    return 0;
                case "workspace":
                    return WorkspaceCommands.run(rest);
                case "elasticsearch-migrate":
                    elasticsearchMigrate(rest);
                    return 0;
                case "catalog":
                    System.out.print(CatalogScript.render(Settings.load(rest, System.getenv(), LogflowOptions.all())));
                    return 0;
                case "help":
                case "--help":
                    usage();
                    return 0;
                default:
                    System.err.println("logflow: unknown command '" + command + "'");
                    usage();
                    return 2;
            }
        } catch (ConfigException e) {
            return error("configuration error: " + e.getMessage(), 2);
        } catch (StartupException e) {
            return error("cannot start: " + e.getMessage(), e.exitCode());
        } catch (JobFailedException e) {
            return error(e.getMessage(), 1);
        } catch (Exception e) {
            LOG.error("logflow {} failed", command, e);
            return error(command + " failed: " + Failures.rootCause(e), 1);
        }
    }

    private static int error(String line, int code) {
        lastError = "logflow: " + line;
        System.err.println(lastError);
        return code;
    }

    /**
     * Ends the JVM with {@code code}; inside a JobManager (application mode, a submission through the web UI or
     * REST), where that would end the JobManager, it throws instead and the cluster reports the failed submission.
     */
    private static void exit(int code) {
        if (code != 0 && "embedded".equals(StreamExecutionEnvironment.getExecutionEnvironment().getConfiguration()
                .get(DeploymentOptions.TARGET))) {
            throw new IllegalStateException(lastError.isEmpty() ? "logflow: exit code " + code : lastError);
        }
        System.exit(code);
    }

    static void run(String[] args) throws Exception {
        JobConfig config = JobConfig.load(args, System.getenv());
        StartupChecks.prepare(config, config.migrateOnStart, Main::say);
        LogflowJob job = LogflowJob.fromConfig(config);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (env instanceof LocalStreamEnvironment) {
            // No Flink cluster around us: run on our own, with a bounded restart strategy, and say what happens.
            try (LocalCluster cluster = new LocalCluster(new Configuration())) {
                StreamExecutionEnvironment local = cluster.environment();
                config.restarts.applyTo(local);
                say("running " + config.jobName + " on a local Flink cluster (" + config.restarts.describe() + ")");
                cluster.await(job.executeAsync(local), config.restarts, Main::say, () -> { });
                say(config.jobName + " finished");
            }
        } else {
            if (config.restarts.applyTo(env)) {
                say("restart strategy: " + config.restarts.describe());
            }
            job.execute(env);
        }
    }

    private static void say(String line) {
        System.out.println("logflow: " + line);
    }

    /**
     * {@code backfill --from DAY --to DAY --key value ...}: the job as a bounded BATCH run over the uploads whose path
     * date lies in the range, writing idempotently into the same tables. The windowed metrics are off unless
     * {@code --metrics.enabled true} is given: they would be recomputed from the files alone and overwrite rows that
     * other sources (Kinesis, Kafka) contributed to.
     */
    public static String[] backfillArgs(String[] args) {
        java.util.List<String> out = new java.util.ArrayList<>(
                java.util.List.of("--job.runtime-mode", "BATCH", "--metrics.enabled", "false"));
        boolean range = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if ((arg.equals("--from") || arg.equals("--to")) && i + 1 < args.length) {
                out.add(arg.equals("--from") ? "--uploads.date-from" : "--uploads.date-to");
                out.add(args[++i]);
                range = true;
            } else {
                out.add(arg);
            }
        }
        if (!range) {
            throw new ConfigException("backfill: expected --from DAY and/or --to DAY (e.g. --from 2026-11-01)");
        }
        return out.toArray(new String[0]);
    }

    static void replay(String[] args) throws Exception {
        Settings settings = Settings.load(args, System.getenv(), LogflowOptions.all());
        Replay.Result result = Replay.run(
                JobConfig.withoutSource(settings), settings, StreamExecutionEnvironment.getExecutionEnvironment());
        System.out.println("logflow: replayed " + result.selected + " failures, " + result.replayed
                + " of them now stored; the others failed again and stay replayable");
    }

    static void migrate(String[] args) {
        Settings settings = Settings.load(args, System.getenv(), LogflowOptions.all());
        PostgresConfig postgres = PostgresConfig.from(settings);
        StartupChecks.checkReachable(postgres);
        Migrations.Applied result = Migrations.apply(postgres);
        System.out.println("logflow: schema at version " + result.targetSchemaVersion + " ("
                + result.migrationsExecuted + " migrations applied)");
        int created = Partitions.ensure(postgres);
        System.out.println("logflow: partitions until " + LocalDate.now(ZoneOffset.UTC).plusDays(Partitions.DAYS_AHEAD)
                + " are there (" + created + " made now)");
    }

    /**
     * {@code retention --postgres.retention 30 d --postgres.url ...}: drops the daily partitions of log_events and
     * ingest_failures that ended more than the retention ago (and the rows that old in their default partitions), as
     * the job does every hour, and makes the coming days' partitions.
     */
    static void retention(String[] args) {
        Settings settings = Settings.load(args, System.getenv(), LogflowOptions.all());
        PostgresConfig postgres = PostgresConfig.from(settings);
        if (postgres.retention == null) {
            throw new ConfigException(PostgresOptions.RETENTION.key() + ": required, e.g. --"
                    + PostgresOptions.RETENTION.key() + " \"30 d\"");
        }
        StartupChecks.checkReachable(postgres);
        Partitions.Round round = new Partitions.Maintenance(postgres).run(Instant.now());
        System.out.println("logflow: dropped " + round.dropped.size() + " partitions older than "
                + Partitions.cutoff(Instant.now(), postgres.retention) + (round.dropped.isEmpty() ? ""
                : " (" + String.join(", ", round.dropped) + ")") + "; " + round.created + " partitions made ahead");
    }

    /**
     * {@code elasticsearch-migrate [--old-pattern P] [--delete-old] --elasticsearch.hosts ...}: moves the documents of
     * the old per-workspace daily indices ({@code logflow-<workspace>-<yyyy.MM.dd>} unless {@code --old-pattern} says
     * otherwise) into the configured layout, and with {@code --delete-old} deletes each old index once all of its
     * documents are there (README, "Index layout, retention and migration").
     */
    static void elasticsearchMigrate(String[] args) throws Exception {
        String oldPattern = "logflow-<workspace>-<yyyy.MM.dd>";
        boolean deleteOld = false;
        java.util.List<String> rest = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--old-pattern") && i + 1 < args.length) {
                oldPattern = args[++i];
            } else if (args[i].equals("--delete-old")) {
                deleteOld = true;
            } else {
                rest.add(args[i]);
            }
        }
        Settings settings = Settings.load(rest.toArray(new String[0]), System.getenv(), LogflowOptions.all());
        OldIndicesMigration migration = new OldIndicesMigration(ElasticsearchConfig.from(settings), oldPattern);
        int moved = 0;
        for (OldIndicesMigration.Moved m : migration.run(deleteOld)) {
            System.out.println("logflow: " + m.from() + " -> " + m.to() + ": " + m.documents() + " documents, "
                    + m.created() + " copied, " + m.alreadyThere() + " already there"
                    + (m.deleted() ? "; deleted" : ""));
            moved++;
        }
        System.out.println("logflow: " + moved + " old indices migrated");
    }

    private static void usage() {
        System.out.println(String.join("\n",
                "usage: logflow [run] --key value ...      run the job (keys: README, 'Configuration')",
                "       logflow migrate --postgres.url URL  apply the Postgres schema migrations",
                "       logflow retention --postgres.retention \"30 d\" --postgres.url URL  drop expired partitions",
                "       logflow backfill --from DAY --to DAY --uploads.path URI ...  re-read uploads of those days",
                "       logflow replay [--replay.reason R --replay.from T --replay.to T --replay.workspace W] ...",
                "       logflow elasticsearch-migrate [--old-pattern P] [--delete-old] --elasticsearch.hosts URL"
                        + "  move per-workspace indices into the shared layout",
                "       logflow catalog --catalog.postgres.user ROLE ...  the analysts' Flink SQL init script "
                        + "(password: LOGFLOW_CATALOG_POSTGRES_PASSWORD)",
                "       logflow workspace put FILE|-|JSON | delete ID | list | status ID | grant ID|--all --role NAME"
                        + "  [--key value ...]"));
    }
}
