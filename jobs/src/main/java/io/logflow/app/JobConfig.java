package io.logflow.app;

import io.logflow.config.ConfigException;
import io.logflow.config.Settings;
import io.logflow.pipeline.ParseOptions;
import io.logflow.sink.postgres.PostgresOptions;
import io.logflow.source.files.UploadOptions;

import io.logflow.metrics.MetricsConfig;
import io.logflow.source.files.UploadLimits;
import io.logflow.source.kafka.KafkaIngestConfig;
import io.logflow.source.kafka.KafkaIngestOptions;
import io.logflow.source.kinesis.KinesisConfig;
import io.logflow.source.kinesis.KinesisOptions;
import io.logflow.workspace.WorkspaceConfig;
import io.logflow.source.files.UploadPathPattern;

import io.logflow.parse.LogFormat;
import io.logflow.parse.ParserOptions;
import io.logflow.parse.redact.RedactionRules;
import io.logflow.sink.dlq.DlqConfig;
import io.logflow.sink.dlq.DlqOptions;
import io.logflow.sink.elasticsearch.ElasticsearchConfig;
import io.logflow.sink.elasticsearch.ElasticsearchOptions;
import io.logflow.source.files.UploadFileFilter;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.ConfigOption;

import java.io.Serializable;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.PatternSyntaxException;
import java.util.Map;
import java.util.Optional;

/**
 * The job's configuration, read once and validated at start: a bad or missing value stops the job with one line
 * naming the key. Parts handed to operators are {@link Serializable}.
 */
public final class JobConfig {
    public final String jobName;
    public final Optional<Integer> parallelism;
    public final Duration checkpointInterval;
    public final RuntimeExecutionMode runtimeMode;
    public final int failureMaxRawBytes;
    /** How lines are parsed and redacted. */
    public final ParserOptions parser;
    public final Optional<UploadConfig> uploads;
    public final Optional<KinesisConfig> kinesis;
    /** Direct producers' NDJSON and JSON batches from Kafka. */
    public final Optional<KafkaIngestConfig> kafkaIngest;
    /** Workspace enrichment; empty means events are stored without a workspace. */
    public final Optional<WorkspaceConfig> workspaces;
    /** The Elasticsearch sink, beside Postgres; empty means off. */
    public final Optional<ElasticsearchConfig> elasticsearch;
    /** The Kafka dead-letter topic, beside ingest_failures; empty means off. */
    public final Optional<DlqConfig> dlq;
    /** The windowed metrics and failed requests; empty means off. */
    public final Optional<MetricsConfig> metrics;
    /** Whether failures go to the Postgres ingest_failures table. */
    public final boolean failuresToPostgres;
    public final PostgresConfig postgres;
    public final boolean migrateOnStart;
    /** How the job restarts after a failure, where it sets its own strategy. */
    public final RestartConfig restarts;
    /** Whether the launcher checks the upload folder and the database before it submits the job. */
    public final boolean checkOnStart;

    private JobConfig(Settings s, boolean needsSource) {
        jobName = s.getRequired(JobOptions.JOB_NAME);
        parallelism = s.isSet(JobOptions.PARALLELISM)
                ? Optional.of(s.getPositiveInt(JobOptions.PARALLELISM))
                : Optional.empty();
        checkpointInterval = s.getPositiveDuration(JobOptions.CHECKPOINT_INTERVAL);
        runtimeMode = s.getRequired(JobOptions.RUNTIME_MODE);
        failureMaxRawBytes = s.getPositiveInt(JobOptions.FAILURE_MAX_RAW_BYTES);
        restarts = RestartConfig.from(s);
        checkOnStart = s.get(JobOptions.CHECK_ON_START);
        parser = parserOptions(s);
        uploads = s.isSet(UploadOptions.PATH) ? Optional.of(UploadConfig.from(s)) : Optional.empty();
        kinesis = s.isSet(KinesisOptions.STREAM_ARN) ? Optional.of(KinesisConfig.from(s)) : Optional.empty();
        kafkaIngest = KafkaIngestConfig.isConfigured(s) ? Optional.of(KafkaIngestConfig.from(s)) : Optional.empty();
        workspaces = WorkspaceConfig.isConfigured(s) ? Optional.of(WorkspaceConfig.from(s)) : Optional.empty();
        elasticsearch = s.isSet(ElasticsearchOptions.HOSTS)
                ? Optional.of(ElasticsearchConfig.from(s))
                : Optional.empty();
        dlq = DlqConfig.isEnabled(s) ? Optional.of(DlqConfig.from(s)) : Optional.empty();
        metrics = MetricsConfig.isEnabled(s) ? Optional.of(MetricsConfig.from(s)) : Optional.empty();
        failuresToPostgres = s.get(DlqOptions.POSTGRES_ENABLED);
        if (!failuresToPostgres && dlq.isEmpty()) {
            throw new ConfigException(DlqOptions.POSTGRES_ENABLED.key() + ": false needs " + DlqOptions.ENABLED.key()
                    + " true, or failures would go nowhere");
        }
        postgres = PostgresConfig.from(s);
        migrateOnStart = s.get(PostgresOptions.MIGRATE_ON_START);
        if (needsSource && uploads.isEmpty() && kinesis.isEmpty() && kafkaIngest.isEmpty()) {
            throw new ConfigException("no source configured: set " + UploadOptions.PATH.key() + ", "
                    + KinesisOptions.STREAM_ARN.key() + " or " + KafkaIngestOptions.TOPICS.key());
        }
        if (runtimeMode == RuntimeExecutionMode.BATCH) {
            if (kinesis.isPresent()) {
                throw new ConfigException(JobOptions.RUNTIME_MODE.key() + ": BATCH reads bounded sources only; "
                        + "unset " + KinesisOptions.STREAM_ARN.key());
            }
            if (kafkaIngest.isPresent()) {
                throw new ConfigException(JobOptions.RUNTIME_MODE.key() + ": BATCH reads bounded sources only; "
                        + "unset " + KafkaIngestOptions.TOPICS.key() + " and " + KafkaIngestOptions.TOPIC_PATTERN.key());
            }
            if (uploads.isPresent() && uploads.get().monitorInterval != null) {
                throw new ConfigException(JobOptions.RUNTIME_MODE.key() + ": BATCH reads bounded sources only; "
                        + "unset " + UploadOptions.MONITOR_INTERVAL.key());
            }
        }
    }

    private static ParserOptions parserOptions(Settings s) {
        ParserOptions.Builder builder = ParserOptions.builder();
        builder.format(format(ParseOptions.FORMAT.key(), s.getRequired(ParseOptions.FORMAT)));
        s.getOptional(ParseOptions.FORMATS).ifPresent(overrides -> overrides.forEach((prefix, format) ->
                builder.formatFor(prefix, format(ParseOptions.FORMATS.key() + " ('" + prefix + "')", format))));
        RedactionRules rules = s.get(ParseOptions.REDACT) ? RedactionRules.defaults() : RedactionRules.none();
        List<String> keys = s.getOptional(ParseOptions.REDACT_KEYS).orElse(List.of());
        if (!keys.isEmpty()) {
            rules = rules.withKeys(keys.toArray(new String[0]));
        }
        for (String pattern : s.getOptional(ParseOptions.REDACT_PATTERNS).orElse(List.of())) {
            try {
                rules = rules.withPattern(pattern);
            } catch (PatternSyntaxException e) {
                throw new ConfigException(ParseOptions.REDACT_PATTERNS.key() + ": '" + pattern
                        + "' is not a regular expression (" + e.getDescription() + ")");
            }
        }
        return builder.redaction(rules).build();
    }

    private static LogFormat format(String key, String value) {
        try {
            return LogFormat.fromConfig(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": expected one of " + LogFormat.configNames() + ", got '" + value + "'");
        }
    }

    public static JobConfig from(Settings settings) {
        return new JobConfig(settings, true);
    }

    /** For commands that bring their own input (a replay reads the dead letters): no source needs to be set. */
    public static JobConfig withoutSource(Settings settings) {
        return new JobConfig(settings, false);
    }

    public static JobConfig load(String[] args, Map<String, String> env) {
        return from(Settings.load(args, env, LogflowOptions.all()));
    }

    /** The folder the upload source reads, its path convention and its limits. */
    public static final class UploadConfig implements Serializable {
        private static final long serialVersionUID = 1L;
        public final String path;
        /** Null reads the folder once; set keeps watching it. */
        public final Duration monitorInterval;
        public final UploadPathPattern pattern;
        public final UploadLimits limits;
        /** Inclusive range of path dates to read, or null: every file. */
        public final LocalDate dateFrom;
        public final LocalDate dateTo;
        /** How recent a file must be for the watching source to pick it up. */
        public final Duration horizon;

        UploadConfig(String path, Duration monitorInterval, UploadPathPattern pattern, UploadLimits limits,
                LocalDate dateFrom, LocalDate dateTo, Duration horizon) {
            this.path = path;
            this.monitorInterval = monitorInterval;
            this.pattern = pattern;
            this.limits = limits;
            this.dateFrom = dateFrom;
            this.dateTo = dateTo;
            this.horizon = horizon;
        }

        /** The horizon applies only while watching; reading a folder once (a backfill) takes every file. */
        public UploadFileFilter fileFilter() {
            long horizonMs = monitorInterval == null ? 0 : horizon.toMillis();
            return new UploadFileFilter(path, pattern, dateFrom, dateTo, horizonMs);
        }

        static UploadConfig from(Settings s) {
            String path = s.getRequired(UploadOptions.PATH).trim();
            if (!path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:/.*")) {
                throw new ConfigException(UploadOptions.PATH.key()
                        + ": expected a folder URI such as file:///data/logs or s3://bucket/prefix, got '" + path + "'");
            }
            Duration interval = s.isSet(UploadOptions.MONITOR_INTERVAL)
                    ? s.getPositiveDuration(UploadOptions.MONITOR_INTERVAL)
                    : null;
            UploadPathPattern pattern;
            try {
                pattern = UploadPathPattern.parse(s.getRequired(UploadOptions.PATH_PATTERN));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(UploadOptions.PATH_PATTERN.key() + ": " + e.getMessage());
            }
            long maxDecompressed = s.getRequired(UploadOptions.MAX_DECOMPRESSED_BYTES).getBytes();
            if (maxDecompressed <= 0) {
                throw new ConfigException(UploadOptions.MAX_DECOMPRESSED_BYTES.key()
                        + ": expected a positive size such as '512 mb'");
            }
            UploadLimits limits = new UploadLimits(
                    maxDecompressed,
                    s.getPositiveInt(UploadOptions.MAX_ENTRIES),
                    s.getPositiveInt(UploadOptions.MAX_DEPTH),
                    s.getPositiveInt(UploadOptions.MAX_LINE_BYTES));
            LocalDate from = date(s, UploadOptions.DATE_FROM);
            LocalDate to = date(s, UploadOptions.DATE_TO);
            if ((from != null || to != null) && !pattern.hasDate()) {
                throw new ConfigException((from != null ? UploadOptions.DATE_FROM : UploadOptions.DATE_TO).key()
                        + ": needs a date (<yyyy>/<mm>/<dd>) in " + UploadOptions.PATH_PATTERN.key());
            }
            if (from != null && to != null && to.isBefore(from)) {
                throw new ConfigException(UploadOptions.DATE_TO.key() + ": expected a day on or after "
                        + UploadOptions.DATE_FROM.key() + " (" + from + "), got '" + to + "'");
            }
            return new UploadConfig(path, interval, pattern, limits, from, to,
                    s.getPositiveDuration(UploadOptions.HORIZON));
        }

        private static LocalDate date(Settings s, ConfigOption<String> option) {
            if (!s.isSet(option)) {
                return null;
            }
            String text = s.getRequired(option).trim();
            try {
                return LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                throw new ConfigException(option.key() + ": expected a day such as 2026-11-02, got '" + text + "'");
            }
        }
    }

    /** Connection and batching of the PostgreSQL sinks. */
    public static final class PostgresConfig implements Serializable {
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
}
