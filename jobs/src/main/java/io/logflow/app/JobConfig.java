package io.logflow.app;

import io.logflow.config.ConfigException;
import io.logflow.config.Settings;
import io.logflow.metrics.MetricsConfig;
import io.logflow.parse.LogFormat;
import io.logflow.parse.ParserOptions;
import io.logflow.parse.redact.RedactionRules;
import io.logflow.pipeline.FailureOptions;
import io.logflow.pipeline.ParseOptions;
import io.logflow.sink.dlq.DlqConfig;
import io.logflow.sink.dlq.DlqOptions;
import io.logflow.sink.elasticsearch.ElasticsearchConfig;
import io.logflow.sink.elasticsearch.ElasticsearchOptions;
import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.sink.postgres.PostgresOptions;
import io.logflow.source.files.UploadConfig;
import io.logflow.source.files.UploadOptions;
import io.logflow.source.kafka.KafkaIngestConfig;
import io.logflow.source.kafka.KafkaIngestOptions;
import io.logflow.source.kinesis.KinesisConfig;
import io.logflow.source.kinesis.KinesisOptions;
import io.logflow.templates.TemplateConfig;
import io.logflow.workspace.WorkspaceConfig;
import org.apache.flink.api.common.RuntimeExecutionMode;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.PatternSyntaxException;

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
    /** The bounds of the template step, which is always on. */
    public final TemplateConfig templates;
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
        failureMaxRawBytes = s.getPositiveInt(FailureOptions.MAX_RAW_BYTES);
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
        templates = TemplateConfig.from(s);
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

}
