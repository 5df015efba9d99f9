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

    public PostgresConfig(
            String url, String user, String password, int batchSize, Duration flushInterval, int maxRetries) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.batchSize = batchSize;
        this.flushInterval = flushInterval;
        this.maxRetries = maxRetries;
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
                retries);
    }
}
