package io.logflow.demo;

import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.testing.BlockingProxy;
import io.logflow.testing.Console;
import io.logflow.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's errors are one line and an exit code, found before its database starts; an outage is not an error. */
class DemoErrorsTest {
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    @TempDir Path dir;

    @Test
    void configurationErrorIsOneLineAndExitCode2BeforeTheDatabaseStarts() {
        Console demo = Console.run(Demo::execute, "--postgres.batch-size", "lots");

        assertThat(demo.exitCode).isEqualTo(2);
        assertThat(demo.err.strip())
                .isEqualTo("logflow: configuration error: postgres.batch-size: expected an integer, got 'lots'");
        assertThat(demo.out).doesNotContain("PostgreSQL");
    }

    @Test
    void uploadFolderThatDoesNotExistIsOneLineAndExitCode2BeforeTheDatabaseStarts() {
        String missing = dir.resolve("missing").toUri().toString();

        Console demo = Console.run(Demo::execute, "--uploads.path", missing);

        assertThat(demo.exitCode).isEqualTo(2);
        assertThat(demo.err.strip()).isEqualTo("logflow: cannot start: uploads.path: '" + missing + "' does not exist");
        assertThat(demo.out).doesNotContain("PostgreSQL");
    }

    @Test
    void registrationsFileThatDoesNotExistIsOneLineAndExitCode2BeforeTheDatabaseStarts() throws Exception {
        String missing = dir.resolve("workspaces.ndjson").toUri().toString();

        Console demo = Console.run(Demo::execute,
                "--uploads.path", dir.toUri().toString(), "--workspaces.file", missing);

        assertThat(demo.exitCode).isEqualTo(2);
        assertThat(demo.err.strip())
                .isEqualTo("logflow: cannot start: workspaces.file: '" + missing + "' does not exist");
        assertThat(demo.out).doesNotContain("PostgreSQL");
    }

    @Test
    void argumentWithoutValueIsOneLineAndExitCode2() {
        Console demo = Console.run(Demo::execute, "--uploads.path");

        assertThat(demo.exitCode).isEqualTo(2);
        assertThat(demo.err.strip())
                .isEqualTo("logflow: configuration error: argument '--uploads.path': expected a value after it");
    }

    @Test
    void progressDuringAnOutageIsUnknownForNowSaidOnceAndComesBack() throws Exception {
        PostgresConfig db = POSTGRES.freshDatabase();
        try (BlockingProxy proxy = new BlockingProxy(port(db.url))) {
            PostgresConfig viaProxy = new PostgresConfig(db.url.replace(":" + port(db.url) + "/", ":" + proxy.port()
                    + "/"), db.user, db.password, db.batchSize, db.flushInterval, db.maxRetries);
            List<String> said = new ArrayList<>();
            DemoProgress progress = new DemoProgress(viaProxy, said::add);

            progress.print(1.0);
            proxy.block();
            progress.print(2.0);
            progress.print(3.0);
            proxy.unblock();
            progress.print(4.0);

            assertThat(said).hasSize(3);
            assertThat(said.get(0)).isEqualTo("  running   1.0 s: 0 events, 0 failures in Postgres");
            assertThat(said.get(1)).startsWith("  running   2.0 s: progress unknown for now, the database does not "
                    + "answer (");
            assertThat(said.get(2)).isEqualTo("  running   4.0 s: 0 events, 0 failures in Postgres");
        }
    }

    private static int port(String url) {
        String hostPort = url.substring("jdbc:postgresql://".length(), url.indexOf('/', "jdbc:postgresql://".length()));
        return Integer.parseInt(hostPort.substring(hostPort.indexOf(':') + 1));
    }
}
