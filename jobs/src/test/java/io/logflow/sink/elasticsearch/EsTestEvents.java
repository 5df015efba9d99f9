package io.logflow.sink.elasticsearch;

import io.logflow.config.Settings;
import io.logflow.model.EventIds;
import io.logflow.model.Failure;
import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.model.SourceKind;
import io.logflow.model.UploadStatus;
import io.logflow.pipeline.LogSinks;
import io.logflow.pipeline.RejectedDocuments;
import io.logflow.pipeline.TemplateReport;
import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.sink.postgres.PostgresLogSinks;
import io.logflow.testing.ElasticsearchExtension;
import io.logflow.workspace.Workspace;
import io.logflow.workspace.WorkspaceChange;
import io.logflow.workspace.WorkspaceValidation;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Builds log events for the Elasticsearch tests and runs them through the sinks on the test's MiniCluster. */
final class EsTestEvents {
    private EsTestEvents() {}

    static LogEvent event(int n, String workspaceId, long timestamp, Level level, String service, String message,
            Map<String, String> fields) {
        LogEvent e = new LogEvent();
        e.eventId = EventIds.of("es-test", Integer.toString(n));
        e.workspaceId = workspaceId;
        e.timestamp = timestamp;
        e.ingestTime = timestamp + 1000;
        e.level = level;
        e.service = service;
        e.message = message;
        e.fields = fields == null ? null : new HashMap<>(fields);
        e.format = "json";
        e.source = SourceKind.UPLOAD;
        e.sourceRef = "file:/test/app.log#L" + n;
        e.routingKey = workspaceId;
        return e;
    }

    /** An Elasticsearch configuration on the test node with {@code prefix} for indices and template. */
    static ElasticsearchConfig config(String prefix, Map<String, String> extra) {
        Map<String, String> values = new HashMap<>();
        values.put(ElasticsearchOptions.HOSTS.key(), ElasticsearchExtension.url());
        values.put(ElasticsearchOptions.INDEX_PATTERN.key(), prefix + "logflow-<workspace>-<yyyy.MM.dd>");
        values.put(ElasticsearchOptions.TEMPLATE_NAME.key(), prefix + "logflow-events");
        values.put(ElasticsearchOptions.DEDICATED_INDEX_PATTERN.key(), prefix + "logflow-dedicated-<workspace>-<yyyy.MM.dd>");
        values.put(ElasticsearchOptions.WORKSPACE_ALIAS.key(), prefix + "logflow.ws-<workspace>");
        values.put(ElasticsearchOptions.REPLICAS.key(), "0");
        values.put(ElasticsearchOptions.BULK_MAX_ACTIONS.key(), "50");
        values.put(ElasticsearchOptions.BULK_FLUSH_INTERVAL.key(), "200 ms");
        // The test events lie in past days: every writer's retention sweep must keep them unless a test says so.
        values.put(ElasticsearchOptions.RETENTION.key(), "3650 d");
        values.putAll(extra);
        return ElasticsearchConfig.from(Settings.of(values, ElasticsearchOptions.all()));
    }

    /** Runs {@code events} through Postgres and Elasticsearch, as the job's composed sinks do, to completion. */
    static void run(List<LogEvent> events, ElasticsearchConfig es, PostgresConfig db) throws Exception {
        StreamExecutionEnvironment env = environment(true);
        DataStream<LogEvent> stream = env.fromData(events, TypeInformation.of(LogEvent.class))
                .uid("test-events").name("Test events");
        LogSinks sinks = new ElasticsearchLogSinks(new PostgresLogSinks(db), es, 8192);
        sinks.events(stream);
        env.execute("elasticsearch sink test");
        ElasticsearchExtension.refresh();
    }

    /**
     * Runs {@code events} through the Elasticsearch sink alone, rejections to {@code rejected}, to completion. The
     * events reach the sink exactly as built: they are looked up in the task that writes them (object reuse on, so
     * no serializer copies them on the way; the job's serializer writes UTF-8, which would already turn an unpaired
     * surrogate into {@code ?}).
     */
    static void run(List<LogEvent> events, ElasticsearchConfig es, RejectedDocuments rejected) throws Exception {
        run(events, es, rejected, true);
    }

    /** As above; without checkpoints (the writer still flushes at the end of input) a short run ends sooner. */
    static void run(List<LogEvent> events, ElasticsearchConfig es, RejectedDocuments rejected, boolean checkpoints)
            throws Exception {
        StreamExecutionEnvironment env = environment(checkpoints);
        env.getConfig().enableObjectReuse();
        String name = "events-" + RUNS.incrementAndGet();
        INPUTS.put(name, List.copyOf(events));
        try {
            env.fromSequence(0, events.size() - 1).uid("test-positions").name("Test positions")
                    .map(new Lookup(name)).returns(TypeInformation.of(LogEvent.class))
                    .uid("test-events").name("Test events")
                    .sinkTo(ElasticsearchSinks.logEvents(es, rejected, 8192))
                    .uid(ElasticsearchSinks.UID).name(ElasticsearchSinks.NAME);
            env.execute("elasticsearch sink test");
        } finally {
            INPUTS.remove(name);
        }
        ElasticsearchExtension.refresh();
    }

    /**
     * Runs {@code events} and workspace {@code registrations} through {@link ElasticsearchLogSinks} (the job's
     * composition, over sinks that store nothing else), rejections to {@code rejected}, to completion: the documents,
     * the workspace aliases and the retention sweep at the end of input.
     */
    static void runWithRegistrations(List<LogEvent> events, List<WorkspaceChange> registrations,
            ElasticsearchConfig es, RejectedDocuments rejected) throws Exception {
        StreamExecutionEnvironment env = environment(false);
        DataStream<LogEvent> stream = env.fromData(events, TypeInformation.of(LogEvent.class))
                .uid("test-events").name("Test events");
        DataStream<WorkspaceChange> changes = env.fromData(registrations, TypeInformation.of(WorkspaceChange.class))
                .uid("test-registrations").name("Test registrations");
        LogSinks sinks = new ElasticsearchLogSinks(new NoOtherStores(rejected), es, 8192);
        sinks.events(stream);
        sinks.workspaces(changes, null);
        env.execute("elasticsearch workspaces test");
        ElasticsearchExtension.refresh();
    }

    static WorkspaceChange registration(String id) {
        return WorkspaceChange.put(new Workspace(id, "Workspace " + id, null, List.of(), List.of()));
    }

    /** The other stores of the composed sinks: none; rejections to a collector. */
    private static final class NoOtherStores implements LogSinks {
        private final RejectedDocuments rejected;

        NoOtherStores(RejectedDocuments rejected) {
            this.rejected = rejected;
        }

        @Override
        public void events(DataStream<LogEvent> events) {}

        @Override
        public void failures(DataStream<Failure> failures) {}

        @Override
        public void uploads(DataStream<UploadStatus> uploads) {}

        @Override
        public void templates(DataStream<TemplateReport> reports) {}

        @Override
        public void workspaces(DataStream<WorkspaceChange> registrations, DataStream<WorkspaceValidation> validations) {}

        @Override
        public String metricsTableOptions(String table) {
            return "'connector' = 'blackhole'";
        }

        @Override
        public RejectedDocuments rejections() {
            return rejected;
        }
    }

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final Map<String, List<LogEvent>> INPUTS = new ConcurrentHashMap<>();

    /** The event at a position of a run's input. */
    private static final class Lookup implements MapFunction<Long, LogEvent> {
        private static final long serialVersionUID = 1L;
        private final String name;

        Lookup(String name) {
            this.name = name;
        }

        @Override
        public LogEvent map(Long position) {
            return INPUTS.get(name).get(position.intValue());
        }
    }

    private static StreamExecutionEnvironment environment(boolean checkpoints) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.getConfig().disableGenericTypes();
        env.setParallelism(2);
        if (checkpoints) {
            env.enableCheckpointing(1000);
        }
        // A sink that fails the job (say, on a rejected document) must fail the test, not restart for ever.
        Configuration restarts = new Configuration();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        env.configure(restarts);
        return env;
    }

    /**
     * Rejected documents kept in this JVM under a name, for tests on the MiniCluster (which runs in the same JVM):
     * the sink carries only the name.
     */
    static final class Collected implements RejectedDocuments {
        private static final long serialVersionUID = 1L;
        private static final Map<String, List<Failure>> ALL = new ConcurrentHashMap<>();
        private final String name;

        Collected(String name) {
            this.name = name;
            ALL.put(name, Collections.synchronizedList(new ArrayList<>()));
        }

        @Override
        public void record(List<Failure> failures) {
            ALL.get(name).addAll(failures);
        }

        /** What was recorded, one failure per failure id (a retried bulk may record one twice). */
        List<Failure> failures() {
            Map<String, Failure> byId = new LinkedHashMap<>();
            synchronized (ALL.get(name)) {
                for (Failure f : ALL.get(name)) {
                    byId.putIfAbsent(f.failureId, f);
                }
            }
            return new ArrayList<>(byId.values());
        }
    }
}
