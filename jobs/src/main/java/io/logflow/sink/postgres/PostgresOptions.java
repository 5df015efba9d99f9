package io.logflow.sink.postgres;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;

/** Options of the PostgreSQL sinks. */
public final class PostgresOptions {
    private PostgresOptions() {}

    public static final ConfigOption<String> URL = ConfigOptions.key("postgres.url")
            .stringType()
            .noDefaultValue()
            .withDescription("JDBC URL of the PostgreSQL database, e.g. jdbc:postgresql://localhost:5432/logflow.");

    public static final ConfigOption<String> USER = ConfigOptions.key("postgres.user")
            .stringType()
            .defaultValue("postgres")
            .withDescription("Database user.");

    public static final ConfigOption<String> PASSWORD = ConfigOptions.key("postgres.password")
            .stringType()
            .defaultValue("")
            .withDescription("Database password (prefer LOGFLOW_POSTGRES_PASSWORD over an argument).");

    public static final ConfigOption<Integer> BATCH_SIZE = ConfigOptions.key("postgres.batch-size")
            .intType()
            .defaultValue(1000)
            .withDescription("Rows per batch: one COPY for log_events, one batch upsert for the other tables and the metrics.");

    public static final ConfigOption<Duration> FLUSH_INTERVAL = ConfigOptions.key("postgres.flush-interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(1))
            .withDescription("Longest time a row waits in a batch before it is written.");

    public static final ConfigOption<Integer> MAX_RETRIES = ConfigOptions.key("postgres.max-retries")
            .intType()
            .defaultValue(3)
            .withDescription("Retries of a failed batch before the job fails over.");

    public static final ConfigOption<Boolean> MIGRATE_ON_START = ConfigOptions.key("postgres.migrate-on-start")
            .booleanType()
            .defaultValue(false)
            .withDescription("Apply the schema migrations before the job starts (the 'migrate' command does it alone).");

    public static final ConfigOption<Duration> RETENTION = ConfigOptions.key("postgres.retention")
            .durationType()
            .noDefaultValue()
            .withDescription("How long log_events and ingest_failures keep rows: daily partitions older than this are "
                    + "dropped whole, by the job every hour and by the 'retention' command. At least 1 d; unset keeps "
                    + "all.");
}
