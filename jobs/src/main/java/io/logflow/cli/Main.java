package io.logflow.cli;

import io.logflow.config.ConfigException;
import io.logflow.config.JobConfig;
import io.logflow.config.JobConfig.PostgresConfig;
import io.logflow.config.LogflowOptions;
import io.logflow.config.Settings;
import io.logflow.job.LogflowJob;
import io.logflow.replay.Replay;
import io.logflow.sink.postgres.Migrations;
import io.logflow.workspace.WorkspaceCommands;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.flywaydb.core.api.output.MigrateResult;

import java.util.Arrays;

/**
 * Entry point of the job jar.
 *
 * <pre>
 *   flink run logflow-jobs.jar [run] --key value ...   run the job (what a Flink cluster calls)
 *   java -jar logflow-jobs.jar migrate --postgres.url ...   apply the Postgres schema migrations
 *   ... workspace put|delete|list|status ...            register tenants (see the README)
 *   demo                                              the job on embedded defaults (README, needs the demo classpath)
 * </pre>
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        String command = args.length > 0 && !args[0].startsWith("--") ? args[0] : "run";
        String[] rest = args.length > 0 && !args[0].startsWith("--") ? Arrays.copyOfRange(args, 1, args.length) : args;
        try {
            switch (command) {
                case "run":
                    run(rest);
                    break;
                case "migrate":
                    migrate(rest);
                    break;
                case "backfill":
                    run(backfillArgs(rest));
                    break;
                case "replay":
                    replay(rest);
                    break;
                case "workspace":
                    System.exit(WorkspaceCommands.run(rest));
                    break;
                case "demo":
                    // Loaded by name: the demo's embedded Postgres is on the demo classpath only, not in the job jar.
                    Class.forName("io.logflow.demo.Demo").getMethod("main", String[].class).invoke(null, (Object) rest);
                    break;
                case "help":
                case "--help":
                    usage();
                    break;
                default:
                    System.err.println("logflow: unknown command '" + command + "'");
                    usage();
                    System.exit(2);
            }
        } catch (ConfigException e) {
            System.err.println("logflow: configuration error: " + e.getMessage());
            System.exit(2);
        }
    }

    static void run(String[] args) throws Exception {
        JobConfig config = JobConfig.load(args, System.getenv());
        if (config.migrateOnStart) {
            Migrations.apply(config.postgres);
        }
        LogflowJob.fromConfig(config).execute(StreamExecutionEnvironment.getExecutionEnvironment());
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
        MigrateResult result = Migrations.apply(postgres);
        System.out.println("logflow: schema at version " + result.targetSchemaVersion + " ("
                + result.migrationsExecuted + " migrations applied)");
    }

    private static void usage() {
        System.out.println(String.join("\n",
                "usage: logflow [run] --key value ...      run the job (keys: README, 'Configuration')",
                "       logflow migrate --postgres.url URL  apply the Postgres schema migrations",
                "       logflow backfill --from DAY --to DAY --uploads.path URI ...  re-read uploads of those days",
                "       logflow replay [--replay.reason R --replay.from T --replay.to T --replay.workspace W] ...",
                "       logflow workspace put FILE|-|JSON | delete ID | list | status ID  [--key value ...]",
                "       logflow demo [--key value ...]      the job on embedded defaults (README command 1)"));
    }
}
