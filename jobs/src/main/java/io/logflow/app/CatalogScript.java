package io.logflow.app;

import io.logflow.config.Settings;
import io.logflow.config.SqlLiterals;
import io.logflow.metrics.Metrics;
import io.logflow.sink.dlq.DlqConfig;
import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.sink.postgres.PostgresSinks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;

/**
 * The analysts' init script: {@code sql/flink/catalog.sql} (packed into the jar) with each {@code ${sink:<table>}}
 * filled from the job's configuration, as the metrics tables are: the JDBC tables on {@code postgres.url} as the
 * read-only {@code catalog.postgres.user}, {@code ${sink:dlq}} on the job's dead-letter topic; first an
 * {@code ADD JAR} of the job jar ({@code catalog.jar}), which brings the functions and connectors into the session
 * and ships them with its queries. The script holds that role's password, so it is printed for a SQL session to
 * read, never written anywhere by logflow.
 */
public final class CatalogScript {
    public static final String SQL_RESOURCE = "sql/flink/catalog.sql";
    /** The placeholder name of the Kafka dead-letter topic; every other name is a table or view of the database. */
    static final String DLQ = "dlq";
    /** Marks a statement whose store the configuration turns off (the DLQ topic): it is left out. */
    private static final String OMITTED = "\u0000omitted";

    private CatalogScript() {}

    public static String render(Settings settings) {
        return render(template(), settings);
    }

    static String render(String template, Settings settings) {
        PostgresConfig job = PostgresConfig.from(settings);
        String user = settings.getRequired(CatalogOptions.POSTGRES_USER);
        PostgresConfig reader = new PostgresConfig(job.url, user, settings.get(CatalogOptions.POSTGRES_PASSWORD),
                job.batchSize, job.flushInterval, job.maxRetries);
        Optional<DlqConfig> dlq = DlqConfig.isEnabled(settings) ? Optional.of(DlqConfig.from(settings))
                : Optional.empty();
        StringBuilder script = new StringBuilder("-- logflow's tables and functions (logflow catalog), read as role ")
                .append(user).append(dlq.isPresent() ? "" : "; dlq_failures is left out (dlq.kafka.enabled is false)")
                .append('\n');
        String jar = settings.getOptional(CatalogOptions.JAR).orElseGet(CatalogScript::ownJar).strip();
        if (!jar.isEmpty()) {
            script.append("ADD JAR ").append(SqlLiterals.quote(jar)).append(";\n");
        }
        for (String statement : Metrics.statements(template, name -> name.equals(DLQ)
                ? dlq.map(DlqConfig::sqlTableOptions).orElse(OMITTED)
                : PostgresSinks.sqlConnectionOptions(reader, name))) {
            if (!statement.contains(OMITTED)) {
                script.append(statement).append(";\n");
            }
        }
        return script.toString();
    }

    /** The jar this class was loaded from, or empty when it runs from a folder of classes (a build, a test). */
    private static String ownJar() {
        try {
            CodeSource source = CatalogScript.class.getProtectionDomain().getCodeSource();
            Path path = source == null ? null : Path.of(source.getLocation().toURI());
            return path != null && path.toString().endsWith(".jar") ? path.toString() : "";
        } catch (URISyntaxException | RuntimeException e) {
            return "";
        }
    }

    static String template() {
        try (InputStream in = CatalogScript.class.getClassLoader().getResourceAsStream(SQL_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SQL_RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
