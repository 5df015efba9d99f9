package io.logflow.sql;

import io.logflow.testing.KafkaExtension;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code sql/flink/catalog.sql} loaded the way an analyst loads it, statement by statement, with the values its header
 * says to edit replaced by the test's servers. Rows come back as text ({@link ExpectedRows}).
 */
final class AnalystCatalog {
    static final Path CATALOG = Path.of("..", "sql", "flink", "catalog.sql");
    static final Path QUERIES = Path.of("..", "sql", "queries");
    private static final Pattern SET = Pattern.compile("SET\\s+'([^']+)'\\s*=\\s*'([^']*)'");

    private AnalystCatalog() {}

    static TableEnvironment open(AnalystDataset data) throws Exception {
        Map<String, String> edits = new LinkedHashMap<>();
        edits.put("jdbc:postgresql://localhost:5432/logflow", data.db.url);
        edits.put("'username' = 'logflow'", "'username' = '" + data.db.user + "'");
        edits.put("'password' = 'change-me'", "'password' = '" + data.db.password + "'");
        edits.put("localhost:9092", KafkaExtension.bootstrapServers());
        edits.put("'topic' = 'logflow.dlq'", "'topic' = '" + data.dlqTopic + "'");
        String sql = Files.readString(CATALOG);
        for (Map.Entry<String, String> e : edits.entrySet()) {
            if (!sql.contains(e.getKey())) {
                throw new AssertionError("catalog.sql no longer contains the value its header names: " + e.getKey());
            }
            sql = sql.replace(e.getKey(), e.getValue());
        }
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
