package io.logflow.bench.broadcast;

import io.logflow.enrich.Enrichment;
import io.logflow.model.LogEvent;
import io.logflow.model.SourceKind;
import io.logflow.workspace.WorkspaceConfig;
import io.logflow.workspace.WorkspaceRegistrations;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The job's enrichment as the job wires it: registrations from a registrations file through
 * {@link WorkspaceRegistrations#stream} (the production path fed from a file), broadcast into {@link Enrichment}, and
 * a trickle of events for registered routing keys so the index is in use while checkpoints run.
 */
final class BenchJob {
    static final String ENRICH_NAME = "Enrich with workspaces";
    static final String REGISTRATIONS_SOURCE_NAME = "Source: " + WorkspaceRegistrations.NAME;
    /** Events per second over all source subtasks: enough to keep the keyed input busy, too few to matter. */
    private static final double EVENTS_PER_SECOND = 20;

    private BenchJob() {}

    /** Checkpoints are triggered by the harness only; the periodic interval is a day so none gets in between. */
    static JobGraph graph(Configuration conf, int parallelism, Path registrations, int workspaces) {
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.getConfig().disableGenericTypes();
        env.enableCheckpointing(Duration.ofDays(1).toMillis());
        WorkspaceConfig config = new WorkspaceConfig(null, "workspaces", registrations.toString(), 1_000,
                Duration.ofMinutes(30));
        DataStream<LogEvent> events = env.fromSource(
                        new DataGeneratorSource<>(new Events(Math.max(1, Math.min(workspaces, 1_000))), Long.MAX_VALUE,
                                RateLimiterStrategy.perSecond(EVENTS_PER_SECOND), TypeInformation.of(LogEvent.class)),
                        WatermarkStrategy.noWatermarks(), "Bench events", TypeInformation.of(LogEvent.class))
                .uid("bench-events")
                .name("Bench events");
        Enrichment.Result enriched = Enrichment.apply(events, WorkspaceRegistrations.stream(env, config), config,
                4_096);
        enriched.events.sinkTo(new DiscardingSink<>()).uid("bench-enriched").name("Discard enriched events");
        enriched.failures.sinkTo(new DiscardingSink<>()).uid("bench-failures").name("Discard failures");
        enriched.validations.sinkTo(new DiscardingSink<>()).uid("bench-validations").name("Discard validations");
        return env.getStreamGraph().getJobGraph();
    }

    /** Event {@code n} comes from workspace {@code n % keys}'s first log group. */
    private static final class Events implements GeneratorFunction<Long, LogEvent> {
        private static final long serialVersionUID = 1L;
        private final int keys;

        Events(int keys) {
            this.keys = keys;
        }

        @Override
        public LogEvent map(Long n) {
            int workspace = (int) (n % keys);
            LogEvent e = new LogEvent();
            e.eventId = "bench-" + n;
            e.source = SourceKind.CLOUDWATCH;
            e.routingKey = WorkspaceCorpus.routingKey(workspace);
            e.timestamp = 1_700_000_000_000L + n;
            e.ingestTime = e.timestamp;
            e.message = "GET /orders/" + n + " 200";
            return e;
        }
    }
}
