package io.logflow.source.kinesis;

import io.logflow.config.Settings;
import io.logflow.decode.CloudWatchPayloads.LogEvent;
import io.logflow.decode.CloudWatchPayloads;
import io.logflow.decode.DecodeReasons;
import io.logflow.model.Failure;
import io.logflow.model.RawLog;
import io.logflow.pipeline.LogSource;
import io.logflow.testing.KinesisEmulator;
import io.logflow.testing.TestClusters;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.SinkFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static io.logflow.source.kinesis.CloudWatchInput.cut;
import static io.logflow.source.kinesis.CloudWatchInput.events;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link KinesisLogSource} on a MiniCluster against a real Kinesis API (the emulator): every record put is accounted
 * for as events, failures by reason, or counted control messages, and the counts are computed from what the test puts.
 */
class KinesisLogSourceTest {
    private static final int PARALLELISM = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** Small, so an oversize payload stays cheap to build. */
    private static final int CAP = 64 * 1024;

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension static final KinesisEmulator KINESIS = new KinesisEmulator();
    @RegisterExtension static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(clusterConfiguration())
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(PARALLELISM)
                    .build());

    private static final AtomicInteger RUNS = new AtomicInteger();

    private static Configuration clusterConfiguration() {
        Configuration conf = TestClusters.configuration();
        return METRICS.addToConfiguration(conf);
    }

    @Test
    void everyRecordBecomesEventsAFailureByReasonOrACountedControlDrop() throws Exception {
        CloudWatchInput input = new CloudWatchInput()
                .good(12)
                .control(3)
                .broken(DecodeReasons.TRUNCATED_GZIP, cut(CloudWatchPayloads.dataMessage("1", "g", "s", events(0, 5))))
                .broken(DecodeReasons.NOT_GZIP, "plain text, never compressed".getBytes())
                .broken(DecodeReasons.INVALID_JSON, CloudWatchPayloads.gzip("{\"messageType\": DATA_MESSAGE"))
                .broken(DecodeReasons.DECOMPRESSED_TOO_LARGE, CloudWatchPayloads.dataMessage("1", "g", "s",
                        List.of(new LogEvent("big", 1, "x".repeat(CAP + 1)))))
                .broken(DecodeReasons.UNKNOWN_MESSAGE_TYPE, CloudWatchPayloads.gzip(
                        CloudWatchPayloads.dataMessageJson("1", "g", "s", events(0, 2))
                                .replace("DATA_MESSAGE", "SOMETHING_ELSE")))
                .broken(DecodeReasons.MISSING_FIELD, CloudWatchPayloads.gzip(
                        "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"1\",\"logStream\":\"s\",\"logEvents\":[]}"));
        String stream = "mix";
        List<String> shards = put(stream, 2, input);
        assertThat(new HashSet<>(shards)).as("records reach both shards").hasSize(2);

        Run run = run(stream, input);

        assertThat(run.events).hasSize(input.expectedEvents.size());
        assertThat(run.eventIds()).isEqualTo(input.expectedEvents.keySet());
        for (RawLog e : run.events) {
            CloudWatchInput.Expected expected = input.expectedEvents.get(e.eventId);
            assertThat(e.text).isEqualTo(expected.message());
            assertThat(e.logGroup).isEqualTo(expected.logGroup());
            assertThat(e.routingKey).isEqualTo(expected.owner() + "/" + expected.logGroup());
            assertThat(e.sourceTime).as("the CloudWatch timestamp").isEqualTo(expected.timestamp());
        }
        assertThat(run.failureReasons()).isEqualTo(input.expectedFailures);
        assertThat(run.metric("cloudwatch.recordsRead")).isEqualTo(input.records.size());
        assertThat(run.metric("cloudwatch.eventsEmitted")).isEqualTo(input.expectedEvents.size());
        assertThat(run.metric("cloudwatch.controlMessagesDropped")).isEqualTo(input.controlMessages);
        assertThat(run.metric("cloudwatch.bytesCompressed")).isEqualTo(input.bytes());
        assertThat(run.metric("cloudwatch.bytesDecompressed")).isGreaterThan(input.bytes());
        for (Map.Entry<String, Long> reason : input.expectedFailures.entrySet()) {
            assertThat(run.metric("cloudwatch.failures." + reason.getKey())).as(reason.getKey())
                    .isEqualTo(reason.getValue());
        }
        // The reader's per-shard gauges: one of each for each of the stream's shards.
        assertThat(gauges(run.job, ".getRecordsCalls")).as("GetRecords calls per shard").hasSize(2)
                .allSatisfy((shard, calls) -> assertThat(calls).isPositive());
        assertThat(gauges(run.job, ".millisBehindLatest")).as("lag per shard").hasSize(2)
                .allSatisfy((shard, lag) -> assertThat(lag).isNotNegative());
    }

    @Test
    void reReadingTheStreamGivesTheSameEventAndFailureIds() throws Exception {
        CloudWatchInput input = new CloudWatchInput()
                .good(6)
                .control(1)
                .broken(DecodeReasons.NOT_GZIP, new byte[] {1, 2, 3})
                .broken(DecodeReasons.TRUNCATED_GZIP, cut(CloudWatchPayloads.dataMessage("1", "g", "s", events(0, 3))));
        String stream = "reread";
        put(stream, 2, input);

        Run first = run(stream, input);
        Run second = run(stream, input);

        assertThat(first.eventIds()).hasSize(input.expectedEvents.size()).isEqualTo(second.eventIds());
        assertThat(first.failureIds()).hasSize(2).isEqualTo(second.failureIds());
    }

    /** The emulator supports SplitShard: records put after the split land in child shards the source discovers. */
    @Test
    void shardSplitDuringTheRunLosesAndDuplicatesNothing() throws Exception {
        String stream = "split";
        CloudWatchInput before = new CloudWatchInput().good(8);
        CloudWatchInput after = new CloudWatchInput(100).good(8).control(1);
        put(stream, 2, before);

        String runId = "run-" + RUNS.incrementAndGet();
        JobClient job = start(stream, runId);
        try {
            await(() -> Sinks.events(runId).size() >= before.expectedEvents.size(), "events put before the split");
            KinesisEmulator.splitShard(stream, "shardId-000000000000");
            List<KinesisEmulator.Shard> shards = KinesisEmulator.listShards(stream);
            assertThat(shards).filteredOn(s -> "shardId-000000000000".equals(s.parentId)).hasSize(2);

            List<String> shardIds = KinesisEmulator.putRecords(stream, after.records, i -> "after-" + i);
            assertThat(shardIds).as("some records go to the new child shards")
                    .anyMatch(id -> shards.stream().anyMatch(s -> s.id.equals(id) && s.parentId != null));

            int total = before.expectedEvents.size() + after.expectedEvents.size();
            await(() -> Sinks.events(runId).size() >= total, "events put after the split");
            Thread.sleep(1000); // a duplicate would arrive in this time: the child shards are read from their start
        } finally {
            job.cancel().get();
        }
        Set<String> expected = new HashSet<>(before.expectedEvents.keySet());
        expected.addAll(after.expectedEvents.keySet());
        List<String> ids = Sinks.events(runId).stream().map(e -> e.eventId).collect(Collectors.toList());
        assertThat(ids).hasSize(expected.size()).doesNotHaveDuplicates();
        assertThat(new HashSet<>(ids)).isEqualTo(expected);
    }

    // ---- running the source ------------------------------------------------------------------------------------------

    private static List<String> put(String stream, int shards, CloudWatchInput input) throws Exception {
        KinesisEmulator.createStream(stream, shards);
        return KinesisEmulator.putRecords(stream, input.records, i -> "key-" + i);
    }

    /** Reads the stream from its start until everything the input should produce has arrived, then cancels. */
    private static Run run(String stream, CloudWatchInput input) throws Exception {
        String runId = "run-" + RUNS.incrementAndGet();
        JobClient job = start(stream, runId);
        try {
            await(() -> Sinks.events(runId).size() >= input.expectedEvents.size()
                            && Sinks.failures(runId).size() >= input.failureCount()
                            && metric(job.getJobID(), "cloudwatch.recordsRead") >= input.records.size(),
                    "all records of " + stream);
            Thread.sleep(500); // anything extra (a duplicate, a stray failure) would show up in this time
        } finally {
            job.cancel().get();
        }
        return new Run(job.getJobID(), Sinks.events(runId), Sinks.failures(runId));
    }

    private static JobClient start(String stream, String runId) throws Exception {
        Map<String, String> settings = KinesisEmulator.sourceSettings(stream);
        settings.put("kinesis.max-decompressed-bytes", CAP + " b");
        KinesisConfig config = KinesisConfig.from(Settings.of(settings, KinesisOptions.all()));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(PARALLELISM);
        env.getConfig().disableGenericTypes(); // RawLog, Failure and byte[] must all serialise without Kryo
        LogSource.Streams streams = new KinesisLogSource(config, 8192).build(env);
        streams.batches.addSink(new Sinks.EventSink(runId)).name("collect events");
        streams.failures.addSink(new Sinks.FailureSink(runId)).name("collect failures");
        return env.executeAsync("kinesis-source-test-" + runId);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + TIMEOUT + " waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** A counter of the decode operator summed over its subtasks, e.g. {@code cloudwatch.recordsRead}. */
    private static long metric(JobID job, String name) {
        long sum = 0;
        for (Map.Entry<String, Metric> m : metrics(job)) {
            if (m.getKey().endsWith("." + name) && m.getValue() instanceof Counter) {
                sum += ((Counter) m.getValue()).getCount();
            }
        }
        return sum;
    }

    /**
     * The job's metrics by identifier. Not {@code getMetricsByIdentifiers}: a task of one operator named like its
     * operator has task and operator metrics of the same identifier, which that map refuses.
     */
    private static List<Map.Entry<String, Metric>> metrics(JobID job) {
        List<Map.Entry<String, Metric>> all = new ArrayList<>();
        for (Tuple3<MetricGroup, String, Metric> m : METRICS.findJobMetricGroups(job, ".*")) {
            all.add(Map.entry(m.f0.getMetricIdentifier(m.f1), m.f2));
        }
        return all;
    }

    /** The source reader's per-shard gauges {@code kinesis.shard.<shardId><suffix>}, by metric identifier. */
    private static Map<String, Long> gauges(JobID job, String suffix) {
        Map<String, Long> values = new TreeMap<>();
        for (Map.Entry<String, Metric> m : metrics(job)) {
            if (m.getKey().contains(".kinesis.shard.") && m.getKey().endsWith(suffix)
                    && m.getValue() instanceof Gauge) {
                values.put(m.getKey(), ((Number) ((Gauge<?>) m.getValue()).getValue()).longValue());
            }
        }
        return values;
    }

    private static final class Run {
        final JobID job;
        final List<RawLog> events;
        final List<Failure> failures;

        Run(JobID job, List<RawLog> events, List<Failure> failures) {
            this.job = job;
            this.events = events;
            this.failures = failures;
        }

        Set<String> eventIds() {
            return events.stream().map(e -> e.eventId).collect(Collectors.toSet());
        }

        Set<String> failureIds() {
            return failures.stream().map(f -> f.failureId).collect(Collectors.toSet());
        }

        Map<String, Long> failureReasons() {
            return failures.stream().collect(Collectors.groupingBy(f -> f.reason, TreeMap::new, Collectors.counting()));
        }

        long metric(String name) {
            return KinesisLogSourceTest.metric(job, name);
        }
    }

    // ---- collecting sinks --------------------------------------------------------------------------------------------

    /** Static queues per run id: the MiniCluster runs in this JVM, so sink instances can hand elements to the test. */
    private static final class Sinks {
        private static final Map<String, Queue<RawLog>> EVENTS = new ConcurrentHashMap<>();
        private static final Map<String, Queue<Failure>> FAILURES = new ConcurrentHashMap<>();

        static List<RawLog> events(String runId) {
            return new ArrayList<>(EVENTS.computeIfAbsent(runId, k -> new ConcurrentLinkedQueue<>()));
        }

        static List<Failure> failures(String runId) {
            return new ArrayList<>(FAILURES.computeIfAbsent(runId, k -> new ConcurrentLinkedQueue<>()));
        }

        /** Takes the decoded batches apart: one element per CloudWatch event. */
        static final class EventSink implements SinkFunction<List<RawLog>> {
            private static final long serialVersionUID = 1L;
            private final String runId;

            EventSink(String runId) {
                this.runId = runId;
            }

            @Override
            public void invoke(List<RawLog> batch, Context context) {
                EVENTS.computeIfAbsent(runId, k -> new ConcurrentLinkedQueue<>()).addAll(batch);
            }
        }

        static final class FailureSink implements SinkFunction<Failure> {
            private static final long serialVersionUID = 1L;
            private final String runId;

            FailureSink(String runId) {
                this.runId = runId;
            }

            @Override
            public void invoke(Failure value, Context context) {
                FAILURES.computeIfAbsent(runId, k -> new ConcurrentLinkedQueue<>()).add(value);
            }
        }
    }
}
