package io.logflow.app;

import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.testing.Console;
import io.logflow.testing.EmbeddedPostgresServer;
import io.logflow.testing.PostgresExtension;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What cannot get better by waiting stops {@code logflow run} before the job starts: one line on stderr and an exit
 * code, instead of a job that restarts for ever.
 */
class StartupChecksTest {
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @TempDir Path logs;

    @Test
    void uploadFolderThatDoesNotExistIsOneLineAndExitCode2() throws Exception {
        PostgresConfig db = POSTGRES.freshDatabase();
        String missing = logs.resolve("no-such-folder").toUri().toString();

        Console run = Console.run(Main::execute, args(db, "--uploads.path", missing));

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err.strip()).isEqualTo("logflow: cannot start: uploads.path: '" + missing + "' does not exist");
    }

    @Test
    void uploadPathThatIsAFileIsOneLineAndExitCode2() throws Exception {
        PostgresConfig db = POSTGRES.freshDatabase();
        Path file = Files.writeString(logs.resolve("a.log"), "hello\n");

        Console run = Console.run(Main::execute, args(db, "--uploads.path", file.toUri().toString()));

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err.strip()).endsWith("' is a file, expected a folder").hasLineCount(1);
    }

    @Test
    void stoppedDatabaseIsOneLineAndExitCode3ForRunAndMigrate() throws Exception {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(
                new File("target/test-postgres/stopped-" + ProcessHandle.current().pid()).getAbsoluteFile(),
                EmbeddedPostgresServer.freePort(), false);
        String url = server.url("postgres");
        server.close();

        Console run = Console.run(Main::execute,
                "run", "--uploads.path", logs.toUri().toString(), "--postgres.url", url);
        Console migrate = Console.run(Main::execute, "migrate", "--postgres.url", url);

        assertThat(run.exitCode).isEqualTo(3);
        assertThat(run.err.strip()).startsWith("logflow: cannot start: postgres.url: cannot connect to " + url
                + " as postgres (Connection to 127.0.0.1:").hasLineCount(1);
        assertThat(migrate.exitCode).isEqualTo(3);
        assertThat(migrate.err.strip()).startsWith("logflow: cannot start: postgres.url: cannot connect to " + url)
                .hasLineCount(1);
    }

    @Test
    void unmigratedDatabaseNamesTheMigrateCommand() throws Exception {
        PostgresConfig empty = emptyDatabase();

        Console run = Console.run(Main::execute, args(empty, "--uploads.path", logs.toUri().toString()));

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err.strip()).hasLineCount(1)
                .startsWith("logflow: cannot start: postgres: " + empty.url + " has no logflow schema (this jar needs "
                        + "version " + latestMigration() + "); run the jar's 'migrate' command (logflow migrate "
                        + "--postgres.url " + empty.url + ") or start with --postgres.migrate-on-start true");
    }

    @Test
    void olderSchemaNamesItsVersionAndTheMigrateCommand() throws Exception {
        PostgresConfig older = emptyDatabase();
        migrateTo(older, "4");

        Console run = Console.run(Main::execute, args(older, "--uploads.path", logs.toUri().toString()));

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err.strip()).hasLineCount(1).startsWith("logflow: cannot start: postgres: the schema of "
                + older.url + " is at version 4, this jar needs " + latestMigration() + "; run the jar's 'migrate'");
    }

    @Test
    void migrateOnStartBringsAnOlderSchemaUpAndTheJobRunsLocallyToTheEnd() throws Exception {
        PostgresConfig older = emptyDatabase();
        migrateTo(older, "4");
        Path day = Files.createDirectories(logs.resolve("acme/api/2026/11/02"));
        Files.writeString(day.resolve("a.log"), "{\"level\":\"INFO\",\"message\":\"one\"}\n"
                + "{\"level\":\"ERROR\",\"message\":\"two\"}\nnot json at all\n");

        Console run = Console.run(Main::execute, args(older, "--uploads.path", logs.toUri().toString(),
                "--postgres.migrate-on-start", "true", "--metrics.enabled", "false", "--job.parallelism", "1"));

        assertThat(run.exitCode).as(run.err).isZero();
        assertThat(run.err).isEmpty();
        assertThat(run.out).contains("logflow: applied " + (latestMigration() - 4) + " schema migrations to "
                + older.url, "logflow: running logflow on a local Flink cluster (at most 5 restarts in a row",
                "logflow: logflow finished");
        assertThat(PostgresExtension.count(older, "SELECT count(*) FROM log_events")).isEqualTo(3);
    }

    private static String[] args(PostgresConfig db, String... more) {
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(List.of(PostgresExtension.jobArgs(db)));
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    /** A database of the test server without any schema. */
    private static PostgresConfig emptyDatabase() throws Exception {
        PostgresConfig any = POSTGRES.freshDatabase();
        String name = "empty_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = PostgresExtension.connect(any); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        String url = any.url.substring(0, any.url.lastIndexOf('/') + 1) + name;
        return new PostgresConfig(url, any.user, any.password, any.batchSize, any.flushInterval, any.maxRetries);
    }

    private static void migrateTo(PostgresConfig db, String version) {
        Flyway.configure().dataSource(db.url, db.user, db.password).locations("classpath:db/migration")
                .target(version).load().migrate();
    }

    private static int latestMigration() throws Exception {
        try (var files = Files.list(Path.of("..", "sql", "postgres"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
                    .max().orElseThrow();
        }
    }
}
