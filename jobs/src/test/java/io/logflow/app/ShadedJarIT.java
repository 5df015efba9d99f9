package io.logflow.app;

import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The shaded job jar as a Flink cluster receives it: our code and connectors, no Flink runtime. */
class ShadedJarIT {
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final Path JAR = Path.of(System.getProperty("logflow.jobJar", "target/none.jar"));

    @Test
    void jarHoldsOurClassesConnectorsAndMigrationsButNoFlinkRuntime() throws IOException {
        assertThat(JAR).exists();
        List<String> entries;
        Manifest manifest;
        try (JarFile jar = new JarFile(JAR.toFile())) {
            entries = Collections.list(jar.entries()).stream().map(e -> e.getName()).collect(Collectors.toList());
            manifest = jar.getManifest();
        }

        assertThat(manifest.getMainAttributes().getValue("Main-Class")).isEqualTo("io.logflow.app.Main");
        assertThat(entries).contains(
                "io/logflow/app/Main.class",
                "io/logflow/app/LogflowJob.class",
                "io/logflow/parse/LogParser.class",
                "io/logflow/model/LogEvent.class",
                "db/migration/V1__log_events_and_failures.sql",
                "org/apache/flink/connector/jdbc/core/datastream/sink/JdbcSink.class",
                "org/postgresql/Driver.class",
                "org/flywaydb/core/Flyway.class",
                "com/fasterxml/jackson/databind/ObjectMapper.class");
        assertThat(entries).noneMatch(e -> e.startsWith("org/apache/flink/streaming/api/"));
        assertThat(entries).noneMatch(e -> e.startsWith("org/apache/flink/runtime/"));
        assertThat(entries).noneMatch(e -> e.startsWith("org/apache/flink/api/common/"));
        assertThat(entries).noneMatch(e -> e.startsWith("org/apache/flink/configuration/"));
        assertThat(entries).noneMatch(e -> e.startsWith("io/zonky/"));
        assertThat(entries).noneMatch(e -> e.startsWith("io/logflow/demo/"));
        assertThat(entries).noneMatch(e -> e.startsWith("org/apache/logging/log4j/"));
        assertThat(entries).noneMatch(e -> e.endsWith("module-info.class"));
        assertThat(entries).noneMatch(e -> e.matches("META-INF/[^/]+\\.(SF|DSA|RSA)"));
        // Native code the job never loads: the Kinesis producer's executables and non-Linux builds of zstd/snappy.
        assertThat(entries).noneMatch(e -> e.startsWith("amazon-kinesis-producer-native-binaries/"));
        assertThat(entries).noneMatch(e -> e.matches("(win|darwin|freebsd)/.+"));
        assertThat(entries).noneMatch(e -> e.matches("org/xerial/snappy/native/(Windows|Mac|FreeBSD|AIX|SunOS)/.+"));
        assertThat(entries).as("Linux builds of the compression libraries stay")
                .anyMatch(e -> e.startsWith("linux/amd64/libzstd-jni"))
                .anyMatch(e -> e.startsWith("org/xerial/snappy/native/Linux/x86_64/"));
    }

    @Test
    void migrateCommandOfTheJarAppliesTheSchemaWithOnlyFlinksLibBeside() throws Exception {
        PostgresConfig db = POSTGRES.freshDatabase(); // already migrated by the fixture: a second run is a no-op
        String url = db.url.replace("/test_", "/fresh_");
        String fresh = url.substring(url.lastIndexOf('/') + 1);
        try (var c = PostgresExtension.connect(db); var st = c.createStatement()) {
            st.execute("CREATE DATABASE " + fresh);
        }

        Process p = new ProcessBuilder(List.of(
                        javaBin(), "-cp", JAR + File.pathSeparator + flinkLibClasspath(),
                        "io.logflow.app.Main", "migrate", "--postgres.url", url))
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("migrate finishes").isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("logflow: schema at version " + latestMigration() + " (");
        PostgresConfig migrated = new PostgresConfig(url, "postgres", "", 1, db.flushInterval, 0);
        assertThat(PostgresExtension.count(migrated,
                "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('log_events', 'ingest_failures')"))
                .isEqualTo(2);
        assertThat(PostgresExtension.count(migrated, "SELECT count(*) FROM flyway_schema_history WHERE success"))
                .isEqualTo(migrationVersions().size());
    }

    @Test
    void badConfigurationExitsWithOneLineNamingTheKey() throws Exception {
        Process p = new ProcessBuilder(List.of(
                        javaBin(), "-cp", JAR + File.pathSeparator + flinkLibClasspath(),
                        "io.logflow.app.Main", "--uploads.path", "file:///tmp", "--postgres.url", "jdbc:postgresql://x/y",
                        "--postgres.batch-size", "many"))
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();

        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(output).isEqualTo(
                "logflow: configuration error: postgres.batch-size: expected an integer, got 'many'");
    }

    /** The highest V&lt;n&gt;__*.sql in sql/postgres: what a fresh database must reach. */
    private static int latestMigration() throws IOException {
        return migrationVersions().stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    private static List<Integer> migrationVersions() throws IOException {
        try (var files = Files.list(Path.of("..", "sql", "postgres"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .map(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
                    .collect(Collectors.toList());
        }
    }

    /**
     * What a Flink distribution's lib/ provides: Flink's own jars and their third-party dependencies, taken from this
     * test's classpath, minus everything the job jar must bring itself.
     */
    private static String flinkLibClasspath() {
        List<String> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String e = entry.replace('\\', '/');
            boolean ours = e.contains("/logflow") || e.endsWith("/classes") || e.endsWith("/test-classes");
            boolean shadedIntoJob = e.contains("flink-connector-jdbc") || e.contains("flink-connector-kinesis")
                    || e.contains("/org/postgresql/") || e.contains("/org/flywaydb/")
                    || e.contains("jackson-databind") || e.contains("/io/zonky/");
            if (!ours && !shadedIntoJob && Files.exists(Path.of(entry))) {
                out.add(entry);
            }
        }
        return String.join(File.pathSeparator, out);
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
