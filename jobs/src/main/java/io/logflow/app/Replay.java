package io.logflow.app;

import io.logflow.config.ConfigException;
import io.logflow.config.Settings;
import io.logflow.enrich.Enrichment;
import io.logflow.model.Failure;
import io.logflow.model.LogEvent;
import io.logflow.model.RawLog;
import io.logflow.pipeline.EventRecords;
import io.logflow.pipeline.LogSinks;
import io.logflow.pipeline.Outputs;
import io.logflow.pipeline.BatchRoutingKey;
import io.logflow.pipeline.LogSource;
import io.logflow.pipeline.ParseFunction;
import io.logflow.pipeline.ParseOperator;
import io.logflow.pipeline.RecordsToEvents;
import io.logflow.sink.postgres.ReplayableFailures;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.accumulators.ListAccumulator;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code logflow replay}: feeds dead letters through the pipeline again, after a fix or after the missing workspace
 * was registered. It takes failures that kept their input ({@code record}) and are not yet replayed: PARSE failures
 * are parsed again with the current settings, ENRICH failures re-enter with their parsed event. Both go through the
 * same enrichment and sinks in a BATCH job; then {@code replayed_at} is set on those whose event reached the sinks
 * (the job reports their ids when it has finished, and a finished job has flushed them). The events keep their original ids, so Postgres and Elasticsearch store each once; a failure that fails again
 * stays unmarked and can be replayed later.
 */
public final class Replay {
    /** Ids of the events the replay's enrichment let through to the sinks. */
    static final String STORED_IDS = "replay-stored-event-ids";

    private Replay() {}

    /** What a replay did. */
    public static final class Result {
        public final int selected;
        public final int replayed;

        Result(int selected, int replayed) {
            this.selected = selected;
            this.replayed = replayed;
        }
    }

    public static Result run(JobConfig config, Settings settings, StreamExecutionEnvironment env) throws Exception {
        if (config.workspaces.isEmpty()) {
            throw new ConfigException("replay: needs the workspace registrations (workspaces.file or "
                    + "kafka.bootstrap-servers) to enrich the events again");
        }
        List<String> failureIds = new ArrayList<>();
        List<LogEvent> events = new ArrayList<>();
        List<RawLog> raws = new ArrayList<>();
        select(config, settings, failureIds, events, raws);
        if (failureIds.isEmpty()) {
            return new Result(0, 0);
        }

        env.getConfig().disableGenericTypes();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        config.parallelism.ifPresent(env::setParallelism);
        // Parse failures are parsed again with today's parser settings; enrichment failures enter after parsing.
        // (fromData refuses an empty collection, so each kind gets a stream only when there is some.)
        List<DataStream<LogEvent>> inputs = new ArrayList<>();
        List<DataStream<Failure>> failures = new ArrayList<>();
        if (!raws.isEmpty()) {
            SingleOutputStreamOperator<LogEvent> reparsed = LogSource.Streams.ofRecords(
                            env.fromData(raws, TypeInformation.of(RawLog.class))
                                    .uid("replay-raw-source")
                                    .name("Replayed parse failures"), "replay-batches")
                    .batches
                    .keyBy(new BatchRoutingKey())
                    .transform("Parse replayed lines", TypeInformation.of(LogEvent.class), new ParseOperator(
                            new ParseFunction(new RecordsToEvents(config.parser, config.failureMaxRawBytes, 0))))
                    .uid("replay-parse")
                    .name("Parse replayed lines");
            inputs.add(reparsed);
            failures.add(reparsed.getSideOutput(Outputs.FAILURES));
        }
        if (!events.isEmpty()) {
            inputs.add(env.fromData(events, TypeInformation.of(LogEvent.class))
                    .uid("replay-source")
                    .name("Replayed enrichment failures"));
        }
        DataStream<LogEvent> replayed = inputs.size() == 1 ? inputs.get(0) : inputs.get(0).union(inputs.get(1));
        Enrichment.Result enriched = Enrichment.withRegistrations(
                env, replayed, config.workspaces.get(), config.failureMaxRawBytes);
        failures.add(enriched.failures);
        LogSinks sinks = LogflowJob.sinks(config);
        sinks.workspaces(enriched.registrations, enriched.validations);
        // A finished job has flushed every event it emitted, so these are exactly the ones now stored.
        sinks.events(enriched.events
                .process(new CollectIds())
                .uid("replay-collect-ids")
                .name("Note replayed events"));
        sinks.failures(failures.size() == 1 ? failures.get(0) : failures.get(0).union(failures.get(1)));
        List<String> stored = env.execute(config.jobName + "-replay").getAccumulatorResult(STORED_IDS);
        return new Result(failureIds.size(),
                ReplayableFailures.markReplayed(config.postgres, failureIds, stored == null ? List.of() : stored));
    }

    private static void select(JobConfig config, Settings settings, List<String> failureIds, List<LogEvent> events,
            List<RawLog> raws) throws Exception {
        List<ReplayableFailures.Row> rows = ReplayableFailures.select(config.postgres,
                settings.getRequired(ReplayOptions.REASON),
                bound(settings, ReplayOptions.FROM, false),
                bound(settings, ReplayOptions.TO, true),
                settings.getOptional(ReplayOptions.WORKSPACE).orElse(null),
                settings.getPositiveInt(ReplayOptions.MAX_FAILURES));
        for (ReplayableFailures.Row row : rows) {
            failureIds.add(row.failureId);
            if (row.isParseFailure()) {
                raws.add(EventRecords.rawFromJson(row.record));
            } else {
                events.add(EventRecords.fromJson(row.record));
            }
        }
    }

    /** Passes events on and notes their ids in an accumulator the client reads when the job has finished. */
    static final class CollectIds extends ProcessFunction<LogEvent, LogEvent> {
        private static final long serialVersionUID = 1L;
        private transient ListAccumulator<String> ids;

        @Override
        public void open(Configuration parameters) {
            ids = new ListAccumulator<>();
            getRuntimeContext().addAccumulator(STORED_IDS, ids);
        }

        @Override
        public void processElement(LogEvent event, Context ctx, Collector<LogEvent> out) {
            ids.add(event.eventId);
            out.collect(event);
        }
    }

    /** An instant, or a day: its start for {@code from}, the next day's start for {@code to}. */
    static Instant bound(Settings settings, org.apache.flink.configuration.ConfigOption<String> option, boolean end) {
        if (!settings.isSet(option)) {
            return end ? Instant.parse("9999-12-31T00:00:00Z") : Instant.EPOCH;
        }
        String text = settings.getRequired(option).trim();
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                LocalDate day = LocalDate.parse(text);
                return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                throw new ConfigException(option.key() + ": expected an instant such as 2026-11-02T10:00:00Z or a day "
                        + "such as 2026-11-02, got '" + text + "'");
            }
        }
    }
}
