package io.logflow.app;

import io.logflow.config.ConfigException;
import io.logflow.config.Settings;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code logflow catalog}: sql/flink/catalog.sql with its connection options filled from the job's configuration. */
class CatalogScriptTest {
    private static final Path CATALOG = Path.of("..", "sql", "flink", "catalog.sql");
    private static final Pattern TABLE = Pattern.compile("CREATE TABLE IF NOT EXISTS (\\w+)");
    private static final String[] JOB = {
            "--postgres.url", "jdbc:postgresql://db:5432/logflow",
            "--postgres.user", "writer",
            "--catalog.postgres.user", "analysts",
            "--kafka.bootstrap-servers", "kafka:9092",
            "--dlq.kafka.enabled", "true",
            "--dlq.kafka.topic", "dead.letters"};

    @Test
    void everyTableOfTheCatalogGetsTheJobsDatabaseAsTheReadOnlyRoleWithThePasswordFromTheEnvironment() throws Exception {
        String script = render(JOB, Map.of("LOGFLOW_CATALOG_POSTGRES_PASSWORD", "s3cret'x"));
        List<String> tables = tables(Files.readString(CATALOG));
        assertThat(tables).contains("log_events", "metrics_minute", "failed_requests", "dlq_failures");
        assertThat(tables(script)).containsExactlyElementsOf(tables);
        assertThat(script).doesNotContain("${").doesNotContain("writer")
                .contains("'url' = 'jdbc:postgresql://db:5432/logflow', 'table-name' = 'analyst_log_events', "
                        + "'username' = 'analysts', 'password' = 's3cret''x'")
                .contains("'connector' = 'kafka', 'topic' = 'dead.letters', "
                        + "'properties.bootstrap.servers' = 'kafka:9092'")
                .contains("CREATE FUNCTION IF NOT EXISTS LOG_TEMPLATE")
                .contains("SET 'table.local-time-zone' = 'UTC';");
        long jdbcTables = tables.size() - 1;
        assertThat(count(script, "'password' = 's3cret''x'")).isEqualTo(jdbcTables);
        assertThat(count(script, "'connector' = 'jdbc'")).isEqualTo(jdbcTables);
    }

    @Test
    void anArgumentOverridesTheEnvironmentAsForTheJob() {
        String[] args = append(JOB, "--catalog.postgres.password", "from-args");
        String script = render(args, Map.of("LOGFLOW_CATALOG_POSTGRES_PASSWORD", "from-env",
                "LOGFLOW_POSTGRES_URL", "jdbc:postgresql://elsewhere/x"));
        assertThat(script).contains("'password' = 'from-args'").doesNotContain("from-env")
                .contains("jdbc:postgresql://db:5432/logflow").doesNotContain("elsewhere");
    }

    /** Connection options written into the file itself would bypass the job's configuration (and hold a password). */
    @Test
    void theFileHoldsNoConnectionOptionsOnlyPlaceholders() throws Exception {
        String sql = Files.readString(CATALOG);
        for (String option : List.of("'url'", "'username'", "'password'", "'topic'", "'properties.bootstrap.servers'",
                "'connector'")) {
            assertThat(sql).as(option).doesNotContain(option);
        }
        String code = String.join("\n", sql.lines().filter(l -> !l.strip().startsWith("--")).toList());
        assertThat(count(code, "${sink:")).isEqualTo(tables(sql).size());
    }

    @Test
    void withoutTheKafkaDeadLetterTopicItsTableIsLeftOutAndSaysSo() {
        String script = render(new String[] {"--postgres.url", "jdbc:postgresql://db/logflow",
                "--catalog.postgres.user", "analysts"}, Map.of());
        assertThat(tables(script)).doesNotContain("dlq_failures").contains("log_events", "workspaces");
        assertThat(script).contains("dlq_failures is left out (dlq.kafka.enabled is false)").doesNotContain("kafka'");
    }

    /** Run from the jar, the script adds the jar itself; from a build's classes, it adds none unless told. */
    @Test
    void theJobJarIsAddedFirstWhereTheSessionFindsIt() {
        assertThat(render(JOB, Map.of())).doesNotContain("ADD JAR");
        String script = render(append(JOB, "--catalog.jar", "/opt/flink/usrlib/logflow-jobs.jar"), Map.of());
        List<String> statements = script.lines().filter(l -> !l.startsWith("--")).toList();
        assertThat(statements.get(0)).isEqualTo("ADD JAR '/opt/flink/usrlib/logflow-jobs.jar';");
    }

    @Test
    void theReadOnlyRoleIsRequiredAndNamedInTheError() {
        assertThatThrownBy(() -> render(new String[] {"--postgres.url", "jdbc:postgresql://db/logflow"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("catalog.postgres.user: required")
                .hasMessageContaining("the read-only role the analysts' tables read the database as");
        assertThat(Main.execute(new String[] {"catalog", "--postgres.url", "jdbc:postgresql://db/logflow"}))
                .isEqualTo(2);
    }

    private static String render(String[] args, Map<String, String> env) {
        return CatalogScript.render(Settings.load(args, env, LogflowOptions.all()));
    }

    private static List<String> tables(String sql) {
        Matcher m = TABLE.matcher(sql);
        List<String> names = new java.util.ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static long count(String text, String part) {
        return (text.length() - text.replace(part, "").length()) / part.length();
    }

    private static String[] append(String[] args, String... more) {
        String[] out = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, out, args.length, more.length);
        return out;
    }
}
