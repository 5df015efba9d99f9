package io.logflow.bench.broadcast;

import io.logflow.enrich.EnrichFunction;
import io.logflow.enrich.EnrichOperator;
import io.logflow.model.LogEvent;
import io.logflow.pipeline.RoutingKey;
import io.logflow.workspace.Workspace;
import io.logflow.workspace.WorkspaceChange;
import io.logflow.workspace.WorkspaceJson;
import io.logflow.workspace.WorkspaceRecords;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.openjdk.jol.info.GraphLayout;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One enrichment subtask in Flink's operator test harness, without a cluster around it, fed {@code --workspaces}
 * registrations: the exact retained size of its broadcast state and workspace index (JOL walks the object graphs;
 * strings both hold are counted once), the time to apply the registrations against parsing them alone, the wall and
 * CPU time of a full snapshot of the operator (what a checkpoint asks of each subtask, synchronous and asynchronous
 * parts, here in one thread) against writing the same registrations as JSON, and a restore from that snapshot.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.logflow.bench.broadcast.OneSubtask [--workspaces 100000] [--compression]
 * </pre>
 */
public final class OneSubtask {
    private static final int SNAPSHOT_ROUNDS = 7;
    private static boolean compression;

    private OneSubtask() {}

    public static void main(String[] args) throws Exception {
        int workspaces = 100_000;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--workspaces")) {
                workspaces = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--compression")) {
                compression = true; // execution.checkpointing.snapshot-compression
            } else {
                throw new IllegalArgumentException("unknown option " + args[i] + " (see the class comment)");
            }
        }
        Path file = Paths.get("target", "broadcast-bench", "registrations-" + workspaces + ".ndjson").toAbsolutePath();
        WorkspaceCorpus.writeFile(file, workspaces);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);

        // Baseline: reading the records alone, what every registration costs before enrichment sees it.
        long parseStart = System.nanoTime();
        long parsed = lines.stream().map(WorkspaceRecords::fromFileLine).filter(WorkspaceChange::isPut).count();
        long parseNanos = System.nanoTime() - parseStart;

        EnrichFunction function = new EnrichFunction(1_000, 60_000, 4_096);
        try (KeyedTwoInputStreamOperatorTestHarness<String, LogEvent, WorkspaceChange, LogEvent> harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(new EnrichOperator<>(function),
                        new RoutingKey(), null, Types.STRING)) {
            // The hashmap backend with checkpoints in files, as in the MiniCluster runs (the harness's default keeps
            // them in memory and stops at 5 MB).
            harness.setStateBackend(new HashMapStateBackend());
            harness.getExecutionConfig().setUseSnapshotCompression(compression);
            harness.setCheckpointStorage(new FileSystemCheckpointStorage(
                    file.getParent().resolve("harness-checkpoints").toUri().toString()));
            harness.open();
            long start = System.nanoTime();
            for (String line : lines) {
                harness.processElement2(new StreamRecord<>(WorkspaceRecords.fromFileLine(line), 0));
            }
            long applyNanos = System.nanoTime() - start;
            LogEvent probe = new LogEvent();
            probe.routingKey = WorkspaceCorpus.routingKey(workspaces / 2);
            probe.message = "probe";
            harness.processElement1(new StreamRecord<>(probe, 0)); // the index exists and answers
            if (!harness.extractOutputValues().get(0).workspaceId.equals(WorkspaceCorpus.id(workspaces / 2))) {
                throw new IllegalStateException("the probe event was not enriched with its workspace");
            }

            BroadcastState<String, ?> state =
                    harness.getOperator().getOperatorStateBackend().getBroadcastState(EnrichFunction.REGISTRATIONS);
            Object backingMap = field(state, "backingMap");
            Object index = field(function, "index");
            GraphLayout both = GraphLayout.parseInstance(backingMap, index);
            long stateBytes = GraphLayout.parseInstance(backingMap).totalSize();
            long indexBytes = GraphLayout.parseInstance(index).totalSize();
            System.out.printf(Locale.ROOT, "%s  %,d workspaces (%.1f MB of registrations JSON), snapshot compression "
                    + "%s%n", LocalDate.now(), parsed, Files.size(file) / 1e6, compression ? "on" : "off");
            System.out.printf(Locale.ROOT, "broadcast state  %,12d B  %6.1f MB  %5d B per workspace%n", stateBytes,
                    stateBytes / 1e6, stateBytes / workspaces);
            System.out.printf(Locale.ROOT, "index            %,12d B  %6.1f MB  %5d B per workspace%n", indexBytes,
                    indexBytes / 1e6, indexBytes / workspaces);
            System.out.printf(Locale.ROOT, "together         %,12d B  %6.1f MB  %5d B per workspace (target: "
                            + "100 MB -> %s)%n", both.totalSize(), both.totalSize() / 1e6,
                    both.totalSize() / workspaces, both.totalSize() <= 100_000_000L ? "met" : "MISSED");
            System.out.printf(Locale.ROOT, "applying them: %,d ms (%.1f µs each); parsing alone (baseline): %,d ms "
                            + "(%.1f µs each)%n", applyNanos / 1_000_000, applyNanos / 1e3 / workspaces,
                    parseNanos / 1_000_000, parseNanos / 1e3 / workspaces);
            System.out.println(both.toFootprint());

            // Snapshots: Flink's deep copy (synchronous part) and serialisation (asynchronous part) of the state.
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long[] wall = new long[SNAPSHOT_ROUNDS];
            long[] cpu = new long[SNAPSHOT_ROUNDS];
            long[] jsonWall = new long[SNAPSHOT_ROUNDS];
            long[] jsonCpu = new long[SNAPSHOT_ROUNDS];
            OperatorSubtaskState snapshot = null;
            List<Workspace> registered = new ArrayList<>();
            state.immutableEntries().forEach(e -> registered.add((Workspace) e.getValue()));
            for (int round = 0; round < SNAPSHOT_ROUNDS; round++) {
                long w0 = System.nanoTime();
                long c0 = threads.getCurrentThreadCpuTime();
                snapshot = harness.snapshot(round + 1, round + 1);
                cpu[round] = threads.getCurrentThreadCpuTime() - c0;
                wall[round] = System.nanoTime() - w0;
                // Baseline: the same registrations written as the JSON the topic carries.
                w0 = System.nanoTime();
                c0 = threads.getCurrentThreadCpuTime();
                long jsonBytes = 0;
                for (Workspace w : registered) {
                    jsonBytes += WorkspaceJson.toJson(w).length();
                }
                jsonCpu[round] = threads.getCurrentThreadCpuTime() - c0;
                jsonWall[round] = System.nanoTime() - w0;
                if (jsonBytes == 0 && workspaces > 0) {
                    throw new IllegalStateException("no JSON written");
                }
            }
            System.out.printf(Locale.ROOT, "snapshot of the operator: median %d ms wall, %d ms CPU, %.1f MB; "
                            + "baseline, the same registrations as JSON: %d ms wall, %d ms CPU (%d rounds)%n",
                    median(wall) / 1_000_000, median(cpu) / 1_000_000, snapshot.getStateSize() / 1e6,
                    median(jsonWall) / 1_000_000, median(jsonCpu) / 1_000_000, SNAPSHOT_ROUNDS);
            restore(snapshot, workspaces);
        }
    }

    /** A new subtask restored from the snapshot enriches as before; how long that takes and what it then holds. */
    private static void restore(OperatorSubtaskState snapshot, int workspaces) throws Exception {
        EnrichFunction function = new EnrichFunction(1_000, 60_000, 4_096);
        try (KeyedTwoInputStreamOperatorTestHarness<String, LogEvent, WorkspaceChange, LogEvent> harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(new EnrichOperator<>(function),
                        new RoutingKey(), null, Types.STRING)) {
            harness.setStateBackend(new HashMapStateBackend());
            harness.getExecutionConfig().setUseSnapshotCompression(compression);
            long start = System.nanoTime();
            harness.initializeState(snapshot);
            harness.open();
            LogEvent probe = new LogEvent();
            probe.routingKey = WorkspaceCorpus.routingKey(workspaces - 1);
            probe.message = "probe";
            harness.processElement1(new StreamRecord<>(probe, 0)); // builds the index from the restored state
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (!harness.extractOutputValues().get(0).workspaceId.equals(WorkspaceCorpus.id(workspaces - 1))) {
                throw new IllegalStateException("the restored subtask did not enrich the probe event");
            }
            BroadcastState<String, ?> state =
                    harness.getOperator().getOperatorStateBackend().getBroadcastState(EnrichFunction.REGISTRATIONS);
            long bytes = GraphLayout.parseInstance(field(state, "backingMap"), field(function, "index")).totalSize();
            System.out.printf(Locale.ROOT, "restored: %d ms to restore and index; state and index then %.1f MB "
                    + "(%d B per workspace)%n", millis, bytes / 1e6, bytes / workspaces);
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** A private field, read the way a heap dump would see it; names checked so a rename fails loudly. */
    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        for (Class<?> c = owner.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(owner);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(owner.getClass().getName() + "." + name);
    }
}
