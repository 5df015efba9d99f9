package io.logflow.bench.pipeline;

import io.logflow.app.JobConfig;
import io.logflow.enrich.EnrichFunction;
import io.logflow.model.Failure;
import io.logflow.model.FailureStage;
import io.logflow.model.LogEvent;
import io.logflow.model.RawLog;
import io.logflow.parse.LogParser;
import io.logflow.parse.ParseOutcome;
import io.logflow.parse.ParserOptions;
import io.logflow.parse.multiline.MultilineJoiner;
import io.logflow.pipeline.Outputs;
import io.logflow.source.kinesis.CloudWatchDecodeFunction;
import io.logflow.templates.Templates;
import io.logflow.workspace.WorkspaceChange;
import io.logflow.workspace.WorkspaceRegistrations;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A prototype of issue 24's one exchange, to measure it before building it: CloudWatch batches keyed by routing key
 * straight after decoding, and the multi-line join (per log stream, in map state under the routing key), the parse
 * and the enrichment in one keyed broadcast operator, which the template step follows without an exchange. The job's
 * own pieces run inside it ({@link MultilineJoiner}, {@link LogParser}, {@link EnrichFunction}); only the Kinesis path
 * is there (no uploads, no Kafka, no metrics, no savepoint compatibility), so it is a measurement, not the job.
 */
final class OneExchange {
    private OneExchange() {}

    /** The job as {@link io.logflow.app.LogflowJob} builds it for the benchmark, with the one exchange. */
    static void build(StreamExecutionEnvironment env, JobConfig config, long payloads) {
        env.getConfig().disableGenericTypes();
        env.getConfig().enableObjectReuse();
        env.getConfig().setUseSnapshotCompression(true);
        env.enableCheckpointing(config.checkpointInterval.toMillis());
        config.parallelism.ifPresent(env::setParallelism);
        DataGeneratorSource<byte[]> source = new DataGeneratorSource<>(
                new PayloadSource.Payloads(PipelineThroughput.SEED, PipelineThroughput.DISTINCT), payloads,
                RateLimiterStrategy.noOp(), PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        SingleOutputStreamOperator<List<RawLog>> decoded = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "CloudWatch payloads",
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .uid("bench-payloads").name("CloudWatch payloads from memory")
                .process(new CloudWatchDecodeFunction(config.kinesis.get().maxDecompressedBytes,
                        config.failureMaxRawBytes), CloudWatchDecodeFunction.BATCH)
                .uid("cloudwatch-decode").name("Decode CloudWatch payloads");
        DataStream<WorkspaceChange> registrations = WorkspaceRegistrations.stream(env, config.workspaces.get());
        EnrichFunction enrich = new EnrichFunction(config.workspaces.get().bufferMaxEvents,
                config.workspaces.get().bufferTimeout.toMillis(), config.failureMaxRawBytes);
        SingleOutputStreamOperator<LogEvent> ingested = decoded
                .keyBy(new BatchRoutingKey())
                .connect(registrations.broadcast(EnrichFunction.REGISTRATIONS))
                .process(new JoinParseEnrich(config.parser, config.failureMaxRawBytes,
                        config.kinesis.get().multilineFlushTimeout.toMillis(), enrich),
                        TypeInformation.of(LogEvent.class))
                .uid("enrich").name("Join, parse and enrich");
        Templates.Result templated = Templates.ofPartitioned(ingested, config.templates);
        CountingSinks sinks = new CountingSinks();
        sinks.templates(templated.reports);
        sinks.events(templated.events);
        sinks.failures(decoded.getSideOutput(Outputs.FAILURES).union(ingested.getSideOutput(Outputs.FAILURES)));
        sinks.workspaces(registrations, ingested.getSideOutput(EnrichFunction.VALIDATIONS));
    }

    /** A payload's routing key (one payload is one log stream of one log group). */
    static final class BatchRoutingKey implements KeySelector<List<RawLog>, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(List<RawLog> batch) {
            String key = batch.get(0).routingKey;
            return key == null ? "" : key;
        }
    }

    /** Join, parse, enrich: keyed by routing key, the pending multi-line record of each log stream in map state. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static final class JoinParseEnrich
            extends KeyedBroadcastProcessFunction<String, List<RawLog>, WorkspaceChange, LogEvent> {
        private static final long serialVersionUID = 1L;
        private final ParserOptions options;
        private final int failureMaxRawBytes;
        private final long flushTimeoutMs;
        /** Its state and timers are this operator's: it runs on this function's contexts (same key, same types). */
        private final KeyedBroadcastProcessFunction enrich;

        private transient MultilineJoiner joiner;
        private transient LogParser parser;
        private transient MapState<String, RawLog> pending;
        private transient ValueState<Long> joinTimer;

        JoinParseEnrich(ParserOptions options, int failureMaxRawBytes, long flushTimeoutMs, EnrichFunction enrich) {
            this.options = options;
            this.failureMaxRawBytes = failureMaxRawBytes;
            this.flushTimeoutMs = flushTimeoutMs;
            this.enrich = enrich;
        }

        @Override
        public void open(Configuration parameters) throws Exception {
            enrich.setRuntimeContext(getRuntimeContext());
            enrich.open(parameters);
            joiner = new MultilineJoiner(MultilineJoiner.DEFAULT_MAX_LINES, MultilineJoiner.DEFAULT_MAX_BYTES,
                    flushTimeoutMs);
            parser = new LogParser(options);
            pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("multiline-pending", Types.STRING,
                    TypeInformation.of(RawLog.class)));
            joinTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("multiline-timer", Types.LONG));
        }

        @Override
        public void processElement(List<RawLog> batch, ReadOnlyContext ctx, Collector<LogEvent> out)
                throws Exception {
            String stream = batch.get(0).logStream;
            joiner.restore(stream == null ? null : pending.get(stream));
            for (int i = 0; i < batch.size(); i++) {
                List<RawLog> completed = joiner.offer(batch.get(i));
                for (int c = 0; c < completed.size(); c++) {
                    parseAndEnrich(completed.get(c), ctx, out);
                }
            }
            RawLog left = joiner.pending();
            if (left == null) {
                if (stream != null) {
                    pending.remove(stream);
                }
                return;
            }
            pending.put(stream, left);
            if (joinTimer.value() == null) {
                long at = joiner.nextFlushTime();
                ctx.timerService().registerProcessingTimeTimer(at);
                joinTimer.update(at);
            }
        }

        private void parseAndEnrich(RawLog raw, ReadOnlyContext ctx, Collector<LogEvent> out) throws Exception {
            ParseOutcome outcome = parser.parse(raw);
            if (outcome.kind == ParseOutcome.Kind.EVENT) {
                enrich.processElement(outcome.event, ctx, out);
            } else if (outcome.kind == ParseOutcome.Kind.FAILURE) {
                ctx.output(Outputs.FAILURES, Failure.of(raw.error != null ? FailureStage.SOURCE : FailureStage.PARSE,
                        outcome.reason, outcome.detail, raw, failureMaxRawBytes, raw.receiveTime));
            }
        }

        @Override
        public void processBroadcastElement(WorkspaceChange change, Context ctx, Collector<LogEvent> out)
                throws Exception {
            enrich.processBroadcastElement(change, ctx, out);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<LogEvent> out) throws Exception {
            Long due = joinTimer.value();
            if (due != null && due <= timestamp) {
                joinTimer.clear();
                long next = Long.MAX_VALUE;
                List<Map.Entry<String, RawLog>> waiting = new ArrayList<>();
                for (Map.Entry<String, RawLog> e : pending.entries()) {
                    waiting.add(Map.entry(e.getKey(), e.getValue()));
                }
                for (Map.Entry<String, RawLog> e : waiting) {
                    joiner.restore(e.getValue());
                    for (RawLog done : joiner.flushIfIdle(timestamp)) {
                        parseAndEnrich(done, ctx, out);
                    }
                    if (joiner.hasPending()) {
                        next = Math.min(next, joiner.nextFlushTime());
                    } else {
                        pending.remove(e.getKey());
                    }
                }
                if (next != Long.MAX_VALUE) {
                    ctx.timerService().registerProcessingTimeTimer(next);
                    joinTimer.update(next);
                }
            }
            enrich.onTimer(timestamp, ctx, out);
        }

    }
}
