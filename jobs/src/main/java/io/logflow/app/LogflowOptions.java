package io.logflow.app;

import io.logflow.config.KafkaOptions;
import io.logflow.metrics.MetricsOptions;
import io.logflow.pipeline.FailureOptions;
import io.logflow.pipeline.ParseOptions;
import io.logflow.sink.dlq.DlqOptions;
import io.logflow.sink.elasticsearch.ElasticsearchOptions;
import io.logflow.sink.postgres.PostgresOptions;
import io.logflow.source.files.UploadOptions;
import io.logflow.source.kafka.KafkaIngestOptions;
import io.logflow.source.kinesis.KinesisOptions;
import io.logflow.templates.TemplateOptions;
import io.logflow.workspace.WorkspaceOptions;
import org.apache.flink.configuration.ConfigOption;

import java.util.ArrayList;
import java.util.List;

/** Every configuration key the job knows; a key not listed here is rejected at start. */
public final class LogflowOptions {
    private LogflowOptions() {}

    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> all = new ArrayList<>(List.of(
                JobOptions.JOB_NAME,
                JobOptions.PARALLELISM,
                JobOptions.CHECKPOINT_INTERVAL,
                JobOptions.RUNTIME_MODE,
                FailureOptions.MAX_RAW_BYTES,
                JobOptions.RESTART_ATTEMPTS,
                JobOptions.RESTART_DELAY,
                JobOptions.CHECK_ON_START,
                UploadOptions.PATH,
                UploadOptions.MONITOR_INTERVAL,
                UploadOptions.HORIZON,
                UploadOptions.PATH_PATTERN,
                UploadOptions.MAX_DECOMPRESSED_BYTES,
                UploadOptions.MAX_ENTRIES,
                UploadOptions.MAX_DEPTH,
                UploadOptions.MAX_LINE_BYTES,
                UploadOptions.DATE_FROM,
                UploadOptions.DATE_TO,
                ParseOptions.FORMAT,
                ParseOptions.FORMATS,
                ParseOptions.REDACT,
                ParseOptions.REDACT_KEYS,
                ParseOptions.REDACT_PATTERNS,
                PostgresOptions.URL,
                PostgresOptions.USER,
                PostgresOptions.PASSWORD,
                PostgresOptions.BATCH_SIZE,
                PostgresOptions.FLUSH_INTERVAL,
                PostgresOptions.MAX_RETRIES,
                PostgresOptions.MIGRATE_ON_START,
                PostgresOptions.RETENTION));
        all.addAll(KinesisOptions.all());
        all.addAll(KafkaIngestOptions.all());
        all.addAll(KafkaOptions.all());
        all.addAll(WorkspaceOptions.all());
        all.addAll(ElasticsearchOptions.all());
        all.addAll(DlqOptions.all());
        all.addAll(MetricsOptions.all());
        all.addAll(TemplateOptions.all());
        all.addAll(ReplayOptions.all());
        all.addAll(CatalogOptions.all());
        return List.copyOf(all);
    }
}
