package io.logflow.udf;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@SuppressWarnings("unchecked")
/** The SQL functions registered and called the way analysts do, through a real (batch) TableEnvironment. */
class SqlFunctionsTest {
    private static TableEnvironment tEnv;

    /** Each query is a Flink job; two jobs for the whole class keep it quick. */
    private static List<Row> lines;
    private static List<Row> templates;

    @BeforeAll
    static void registerFunctionsAndRunTheQueries() {
        Configuration conf = new Configuration();
        conf.setString("parallelism.default", "1");
        conf.setString("rest.bind-address", "127.0.0.1");
        conf.setString("jobmanager.bind-host", "127.0.0.1");
        conf.setString("taskmanager.bind-host", "127.0.0.1");
        tEnv = TableEnvironment.create(EnvironmentSettings.newInstance().inBatchMode().withConfiguration(conf).build());
        for (String[] f : new String[][] {
            {"PARSE_LOG", "ParseLogFunction"}, {"LOG_LEVEL", "LogLevelFunction"}, {"LOG_TEMPLATE", "LogTemplateFunction"},
            {"REDACT", "RedactFunction"}, {"PARSE_TS", "ParseTsFunction"}}) {
            tEnv.executeSql("CREATE TEMPORARY FUNCTION " + f[0] + " AS 'io.logflow.udf." + f[1] + "' LANGUAGE JAVA");
        }
        lines = query("SELECT p.format, p.level, p.message, p.ts, p.duration_ms, p.request_id, p.fields, p.failure, "
                + "PARSE_LOG(line, 'text').format, PARSE_LOG(line, 'json').failure, LOG_LEVEL(level_text), "
                + "REDACT(secret_text), PARSE_TS(ts_text) "
                + "FROM (SELECT *, PARSE_LOG(line) AS p FROM (VALUES "
                + "(1, '{\"level\":50,\"time\":1718452800123,\"msg\":\"db down\",\"processingTimeMs\":7,"
                + "\"req\":{\"id\":\"r1\"},\"password\":\"x\"}', 'warning', "
                + "'Authorization: Bearer abc.def.ghi123', '2024-06-15 13:00:00,250+01:00'), "
                + "(2, '127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 404 12', '60', "
                + "'password=hunter2 user=bob', '1718452800'), "
                + "(3, '{\"broken\":', '2024-06-15 12:00:00 ERROR boom', 'nothing secret', 'soon'), "
                + "(4, 'plain words', 'all good', CAST(NULL AS STRING), CAST(NULL AS STRING))"
                + ") AS t(id, line, level_text, secret_text, ts_text)) ORDER BY id");
        templates = query("SELECT t.template, COUNT(*) AS n FROM (SELECT LOG_TEMPLATE(msg) AS t FROM (VALUES "
                + "('user 17 logged in from 10.0.0.1'), ('user 42 logged in from 10.0.0.2'), "
                + "('cache flushed in 35ms'), ('cache flushed in 120ms')) AS m(msg)) GROUP BY t.template "
                + "ORDER BY t.template");
    }

    @Test
    void parseLogReturnsARowPerLineAndAFailureReasonForBrokenOnes() {
        assertThat(lines).hasSize(4);
        Row json = lines.get(0);
        assertThat(json.getField(0)).isEqualTo("json");
        assertThat(json.getField(1)).isEqualTo("ERROR");
        assertThat(json.getField(2)).isEqualTo("db down");
        assertThat(json.getField(3)).isEqualTo(Instant.parse("2024-06-15T12:00:00.123Z"));
        assertThat(json.getField(4)).isEqualTo(7.0);
        assertThat(json.getField(5)).isEqualTo("r1");
        assertThat((Map<Object, Object>) json.getField(6)).containsEntry("password", "[REDACTED]");
        assertThat(json.getField(7)).isNull();

        Row access = lines.get(1);
        assertThat(access.getField(0)).isEqualTo("access_common");
        assertThat(access.getField(1)).isEqualTo("WARN");
        assertThat(access.getField(3)).isEqualTo(Instant.parse("2000-10-10T20:55:36Z"));
        assertThat((Map<Object, Object>) access.getField(6)).containsEntry("status", "404").containsEntry("path", "/");

        Row broken = lines.get(2);
        assertThat(broken.getField(0)).isNull();
        assertThat(broken.getField(7)).isEqualTo("invalid_json");
    }

    @Test
    void parseLogTakesAForcedFormat() {
        assertThat(lines).extracting(r -> r.getField(8)).containsOnly("text");
        // lines 1 and 3 start like JSON: 1 parses, 3 is broken; 2 and 4 are no JSON at all
        assertThat(lines).extracting(r -> r.getField(9))
                .containsExactly(null, "format_mismatch", "invalid_json", "format_mismatch");
    }

    @Test
    void logLevelNormalisesNamesNumbersAndSniffsText() {
        assertThat(lines).extracting(r -> r.getField(10)).containsExactly("WARN", "FATAL", "ERROR", null);
    }

    @Test
    void logTemplateGroupsMessagesByPattern() {
        assertThat(templates).extracting(r -> r.getField(0) + " x" + r.getField(1))
                .containsExactly("cache flushed in <NUM>ms x2", "user <NUM> logged in from <IP> x2");
    }

    @Test
    void redactMasksSecrets() {
        assertThat(lines).extracting(r -> r.getField(11)).containsExactly(
                "Authorization: Bearer [REDACTED]", "password=[REDACTED] user=bob", "nothing secret", null);
    }

    @Test
    void parseTsReadsLogTimestamps() {
        assertThat(lines).extracting(r -> r.getField(12)).containsExactly(
                Instant.parse("2024-06-15T12:00:00.250Z"), Instant.parse("2024-06-15T12:00:00Z"), null, null);
    }

    private static List<Row> query(String sql) {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = tEnv.executeSql(sql).collect()) {
            it.forEachRemaining(rows::add);
        } catch (Exception e) {
            throw new AssertionError(sql, e);
        }
        return rows;
    }
}
