package io.logflow.sql;

import io.logflow.app.CatalogScript;
import io.logflow.app.LogflowOptions;
import io.logflow.config.Settings;
import io.logflow.testing.KafkaExtension;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The analysts' catalog as {@code logflow catalog} prints it for the test's servers ({@link #script}), loaded into a
 * TableEnvironment statement by statement, the way an analyst's session loads it. Rows come back as text
 * ({@link ExpectedRows}).
 */
final class AnalystCatalog {
    static final Path QUERIES = Path.of("..", "sql", "queries");
    private static final Pattern SET = Pattern.compile("SET\\s+'([^']+)'\\s*=\\s*'([^']*)'");

    private AnalystCatalog() {}

    /** The init script for {@code data}, generated from the job's keys, read as {@code user}; more keys after. */
    static String script(AnalystDataset data, String user, String password, String... more) {
        String[] keys = {
                "--postgres.url", data.db.url,
                "--catalog.postgres.user", user,
                "--catalog.postgres.password", password,
                "--kafka.bootstrap-servers", KafkaExtension.bootstrapServers(),
                "--dlq.kafka.enabled", "true",
                "--dlq.kafka.topic", data.dlqTopic};
        String[] args = Arrays.copyOf(keys, keys.length + more.length);
        System.arraycopy(more, 0, args, keys.length, more.length);
        return CatalogScript.render(Settings.load(args, Map.of(), LogflowOptions.all()));
    }

    static TableEnvironment open(AnalystDataset data) throws Exception {
        String sql = script(data, data.db.user, data.db.password);
        TableEnvironment tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        tEnv.getConfig().set("parallelism.default", "1"); // tiny tables: one task per operator starts quicker
        for (String statement : statements(sql)) {
            Matcher set = SET.matcher(statement);
            if (set.matches()) { // a SQL client command, which TableEnvironment.executeSql does not take
                tEnv.getConfig().set(set.group(1), set.group(2));
            } else {
                tEnv.executeSql(statement).await();
            }
        }
        return tEnv;
    }

    /** The statements of a SQL file: comment lines dropped, split at a ';' that ends a line. */
    static List<String> statements(String sql) {
        String code = Arrays.stream(sql.split("\n")).filter(l -> !l.strip().startsWith("--"))
                .collect(Collectors.joining("\n"));
        return Arrays.stream(code.split(";\\s*(\n|$)")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    static List<String> query(TableEnvironment tEnv, String sql) {
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = tEnv.executeSql(sql).collect()) {
            it.forEachRemaining(r -> rows.add(text(r)));
        } catch (Exception e) {
            throw new AssertionError(sql, e);
        }
        return rows;
    }

    static String text(Row row) {
        Object[] cells = new Object[row.getArity()];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = row.getField(i);
        }
        return ExpectedRows.row(cells);
    }
}
