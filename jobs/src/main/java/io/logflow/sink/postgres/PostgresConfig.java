package io.logflow.sink.postgres;

import io.logflow.config.ConfigException;
import io.logflow.config.Settings;

import java.io.Serializable;
import java.time.Duration;

/** Connection and batching of the PostgreSQL sinks. */
public final class PostgresConfig implements Serializable {
    private static final long serialVersionUID = 1L;
    public final String url;
    public final String user;
    public final String password;
    public final int batchSize;
    public final Duration flushInterval;
    public final int maxRetries;
    /** How long rows of log_events and ingest_failures are kept (whole days dropped); null: for ever. */
    public final Duration retention;

    public PostgresConfig(
            String url, String user, String password, int batchSize, Duration flushInterval, int maxRetries) {
        this(url, user, password, batchSize, flushInterval, maxRetries, null);
    }

    public PostgresConfig(String url, String user, String password, int batchSize, Duration flushInterval,
            int maxRetries, Duration retention) {
        this.retention = retention;
        this.url = url;
        this.user = user;
        this.password = password;
        this.batchSize = batchSize;
        this.flushInterval = flushInterval;
        this.maxRetries = maxRetries;
    }

    /** The same connection with another retention. */
    public PostgresConfig withRetention(Duration retention) {
        return new PostgresConfig(url, user, password, batchSize, flushInterval, maxRetries, retention);
    }

    public static PostgresConfig from(Settings s) {
        String url = s.getRequired(PostgresOptions.URL).trim();
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new ConfigException(PostgresOptions.URL.key()
                    + ": expected a JDBC URL such as jdbc:postgresql://localhost:5432/logflow, got '" + url + "'");
        }
        int retries = s.getRequired(PostgresOptions.MAX_RETRIES);
        if (retries < 0) {
            throw new ConfigException(PostgresOptions.MAX_RETRIES.key()
                    + ": expected zero or a positive integer, got '" + retries + "'");
        }
        return new PostgresConfig(
                url,
                s.getRequired(PostgresOptions.USER),
                s.get(PostgresOptions.PASSWORD),
                s.getPositiveInt(PostgresOptions.BATCH_SIZE),
                s.getPositiveDuration(PostgresOptions.FLUSH_INTERVAL),
                retries,
                retention(s));
    }

    /** At least a day: retention drops whole days, and a shorter one would drop today's partition. */
    private static Duration retention(Settings s) {
        Duration retention = s.get(PostgresOptions.RETENTION);
        if (retention != null && retention.compareTo(Duration.ofDays(1)) < 0) {
            throw new ConfigException(PostgresOptions.RETENTION.key()
                    + ": expected a duration of at least 1 d, such as 30 d, got '" + retention + "'");
        }
        return retention;
    }
}
