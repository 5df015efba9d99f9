package io.logflow.bench.broadcast;

import io.logflow.enrich.EnrichFunction;
import io.logflow.enrich.EnrichOperator;
import io.logflow.enrich.Enrichment;
import io.logflow.model.LogEvent;
import io.logflow.workspace.WorkspaceChange;
import io.logflow.workspace.WorkspaceRecords;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.openjdk.jol.info.GraphLayout;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * Exact retained size of one enrichment subtask's broadcast state and workspace index (JOL walks the object graphs;
 * strings both hold are counted once), after {@code --workspaces} registrations went through the real operator in
 * Flink's operator test harness. Also times applying them, one registration at a time, against parsing alone.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.logflow.bench.broadcast.RetainedSize [--workspaces 100000]
 * </pre>
 */
public final class RetainedSize {
    private RetainedSize() {}

    public static void main(String[] args) throws Exception {
        int workspaces = args.length >= 2 && args[0].equals("--workspaces") ? Integer.parseInt(args[1]) : 100_000;
        Path file = Paths.get("target", "broadcast-bench", "registrations-" + workspaces + ".ndjson").toAbsolutePath();
        WorkspaceCorpus.writeFile(file, workspaces);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);

        // Baseline: reading the records alone, what every registration costs before enrichment sees it.
        long parseStart = System.nanoTime();
        long parsed = lines.stream().map(WorkspaceRecords::fromFileLine).filter(WorkspaceChange::isPut).count();
        long parseNanos = System.nanoTime() - parseStart;

        EnrichFunction function = new EnrichFunction(1_000, 60_000, 4_096);
        try (KeyedTwoInputStreamOperatorTestHarness<String, LogEvent, WorkspaceChange, LogEvent> harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(new EnrichOperator(function),
                        new Enrichment.RoutingKey(), null, Types.STRING)) {
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
            System.out.printf(Locale.ROOT, "%s  %,d workspaces (%.1f MB of registrations JSON)%n", LocalDate.now(),
                    parsed, Files.size(file) / 1e6);
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
        }
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
