package io.logflow.config;

/** Text the job writes into Flink SQL: table options, {@code ADD JAR} paths. */
public final class SqlLiterals {
    private SqlLiterals() {}

    /** {@code value} as a SQL string literal: in single quotes, each quote inside doubled. */
    public static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
