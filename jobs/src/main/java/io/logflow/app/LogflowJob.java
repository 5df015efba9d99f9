package io.logflow.app;

import io.logflow.enrich.Enrichment;
import io.logflow.metrics.Metrics;
import io.logflow.model.Failure;
import io.logflow.model.LogEvent;
import io.logflow.model.RawLog;
import io.logflow.pipeline.LogSinks;
import io.logflow.pipeline.LogSource;
import io.logflow.pipeline.Outputs;
import io.logflow.pipeline.BatchRoutingKey;
import io.logflow.pipeline.ParseFunction;
import io.logflow.pipeline.ParseOperator;
import io.logflow.pipeline.RecordsToEvents;
import io.logflow.pipeline.RejectedDocuments;
import io.logflow.sink.dlq.DlqLogSinks;
import io.logflow.sink.dlq.KafkaRejectedDocuments;
import io.logflow.sink.elasticsearch.ElasticsearchLogSinks;
import io.logflow.sink.postgres.PendingUploads;
import io.logflow.sink.postgres.PostgresLogSinks;
import io.logflow.source.files.UploadSource;
import io.logflow.source.kafka.KafkaLogSource;
import io.logflow.source.kinesis.KinesisLogSource;
import io.logflow.templates.Templates;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The logflow topology: sources → keyed by routing key → join, parse and workspace enrichment (when configured) in one
 * operator → template step → sinks, with every stage's failures on one failure stream.
 *
 * <p>Sources and sinks are handed in (see {@link #fromConfig}), so tests run this very topology with their own.
 * Operator uids are part of the savepoint contract: never change one once released.
 */
public final class LogflowJob {
    private final JobConfig config;
    private final List<LogSource> sources;
    private final LogSinks sinks;

    public LogflowJob(JobConfig config, List<LogSource> sources, LogSinks sinks) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("a job needs at least one source");
        }
        this.config = config;
        this.sources = List.copyOf(sources);
        this.sinks = sinks;
    }

    /** The production wiring: every source and sink the configuration turns on. */
    public static LogflowJob fromConfig(JobConfig config) {
        List<LogSource> sources = new ArrayList<>();
        config.uploads.ifPresent(uploads -> sources.add(
                new UploadSource(uploads, config.failureMaxRawBytes, new PendingUploads(config.postgres))));
        config.kinesis.ifPresent(kinesis -> sources.add(new KinesisLogSource(kinesis, config.failureMaxRawBytes)));
        config.kafkaIngest.ifPresent(kafka -> sources.add(new KafkaLogSource(kafka)));
        return new LogflowJob(config, sources, sinks(config));
    }

    /** Postgres always; the DLQ topic and Elasticsearch beside it when configured. */
    public static LogSinks sinks(JobConfig config) {
        RejectedDocuments rejectedToKafka = config.dlq.map(KafkaRejectedDocuments::new).orElse(null);
        LogSinks sinks = new PostgresLogSinks(config.postgres, config.failuresToPostgres, rejectedToKafka,
                config.failureMaxRawBytes);
        if (config.dlq.isPresent()) {
            sinks = new DlqLogSinks(sinks, config.dlq.get());
        }
        if (config.elasticsearch.isPresent()) {
            sinks = new ElasticsearchLogSinks(sinks, config.elasticsearch.get(), config.failureMaxRawBytes);
        }
        return sinks;
    }

    /** Adds the topology to {@code env} and sets the job-wide options. */
    public void build(StreamExecutionEnvironment env) {
        // Every type on the wire is a POJO or a Flink type; Kryo would be a silent slowdown, so it is an error.
        env.getConfig().disableGenericTypes();
        // Chained operators hand records on as they are, not as a deep copy (a LogEvent and its field map at every
        // edge of a chain). Safe because no operator here changes a record after emitting it or emits one instance
        // twice, and only an input's one consumer fills it in (the enrichment, the template step). Records that
        // cross the network are new objects on the other side, so buffering them in state is unaffected.
        env.getConfig().enableObjectReuse();
        // Every subtask snapshots the whole workspace broadcast state; compressed, 100 K workspaces take 4x less
        // space, and restoring them takes seconds instead of a minute (Flink reads uncompressed operator state
        // byte by byte; see BENCHMARKS.md).
        env.getConfig().setUseSnapshotCompression(true);
        env.setRuntimeMode(config.runtimeMode);
        if (config.runtimeMode == RuntimeExecutionMode.STREAMING) {
            env.enableCheckpointing(config.checkpointInterval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        }
        config.parallelism.ifPresent(env::setParallelism);

        DataStream<List<RawLog>> batches = null;
        List<DataStream<Failure>> failures = new ArrayList<>();
        for (LogSource source : sources) {
            LogSource.Streams streams = source.build(env);
            batches = batches == null ? streams.batches : batches.union(streams.batches);
            if (streams.failures != null) {
                failures.add(streams.failures);
            }
        }

        // The one exchange: every record crosses the network once, raw, to the subtask of its routing key, where it is
        // joined (multi-line CloudWatch events), parsed and enriched, and the template step follows in the same task.
        KeyedStream<List<RawLog>, String> byRoutingKey = batches.keyBy(new BatchRoutingKey());
        RecordsToEvents records = new RecordsToEvents(config.parser, config.failureMaxRawBytes,
                config.kinesis.map(k -> k.multilineFlushTimeout).orElse(Duration.ZERO).toMillis()); // CloudWatch only
        SingleOutputStreamOperator<LogEvent> parsed;
        if (config.workspaces.isPresent()) {
            // uids: workspace-registrations, enrich, postgres-workspaces, postgres-validations
            Enrichment.Result enriched = Enrichment.parseAndEnrich(
                    env, byRoutingKey, records, config.workspaces.get(), config.failureMaxRawBytes);
            sinks.workspaces(enriched.registrations, enriched.validations);
            parsed = enriched.events;
        } else {
            parsed = byRoutingKey
                    .transform("Join and parse", TypeInformation.of(LogEvent.class),
                            new ParseOperator(new ParseFunction(records)))
                    .uid("parse")
                    .name("Join and parse");
        }
        failures.add(parsed.getSideOutput(Outputs.FAILURES));
        // uid templates: keyed by routing key like the step before, so it follows it without an exchange
        Templates.Result templated = Templates.ofPartitioned(parsed, config.templates);
        DataStream<LogEvent> events = templated.events;
        sinks.templates(templated.reports);

        sinks.events(events);
        if (config.metrics.isPresent()) {
            // uids: metrics-watermarks, metrics-input, request-*; the SQL's operators are named after its tables.
            Metrics.attach(env, events, config.metrics.get(), sinks::metricsTableOptions);
        }
        sinks.failures(union(failures));
        sinks.uploads(parsed.getSideOutput(Outputs.UPLOADS));
    }

    public JobExecutionResult execute(StreamExecutionEnvironment env) throws Exception {
        build(env);
        return env.execute(config.jobName);
    }

    public JobClient executeAsync(StreamExecutionEnvironment env) throws Exception {
        build(env);
        return env.executeAsync(config.jobName);
    }

    private static <T> DataStream<T> union(List<DataStream<T>> streams) {
        DataStream<T> all = streams.get(0);
        for (int i = 1; i < streams.size(); i++) {
            all = all.union(streams.get(i));
        }
        return all;
    }
}
