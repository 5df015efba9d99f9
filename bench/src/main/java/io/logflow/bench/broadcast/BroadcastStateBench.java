package io.logflow.bench.broadcast;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Broadcast state with many workspaces, measured on an in-process MiniCluster running the job's enrichment
 * ({@link BenchJob}). Per state backend and parallelism, two jobs run one after the other on the same cluster: the
 * baseline with an empty registrations file, then the one that registers {@code --workspaces} through the
 * registrations path. For each it reports how long loading took, the live heap after full collections (the difference
 * divided by the parallelism is the broadcast state plus index of one subtask), which classes grew, and the duration
 * and size of checkpoints the harness triggers once everything is loaded (Flink's own checkpoint statistics).
 *
 * <pre>
 * java -Xmx3g -cp bench/target/benchmarks.jar io.logflow.bench.broadcast.BroadcastStateBench \
 *     [--workspaces 100000] [--parallelism 1,2] [--backends hashmap,rocksdb] [--checkpoints 5] [--load-timeout 900]
 *     [--compression]   (execution.checkpointing.snapshot-compression)
 * </pre>
 */
public final class BroadcastStateBench {
    static final long HEAP_TARGET_BYTES = 100L * 1024 * 1024;
    static final long CHECKPOINT_TARGET_MILLIS = 1_000;

    private final int workspaces;
    private final int checkpoints;
    private final Duration loadTimeout;
    private final Path dir;
    private final boolean compression;

    BroadcastStateBench(int workspaces, int checkpoints, Duration loadTimeout, Path dir, boolean compression) {
        this.workspaces = workspaces;
        this.checkpoints = checkpoints;
        this.loadTimeout = loadTimeout;
        this.dir = dir;
        this.compression = compression;
    }

    public static void main(String[] args) throws Exception {
        int workspaces = 100_000;
        int checkpoints = 5;
        long timeout = 900;
        List<Integer> parallelisms = List.of(1, 2);
        List<String> backends = List.of("hashmap");
        boolean compression = false;
        Path dir = Paths.get("target", "broadcast-bench").toAbsolutePath();
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--workspaces": workspaces = Integer.parseInt(value); break;
                case "--checkpoints": checkpoints = Integer.parseInt(value); break;
                case "--load-timeout": timeout = Long.parseLong(value); break;
                case "--parallelism":
                    parallelisms = Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
                    break;
                case "--backends": backends = List.of(value.split(",")); break;
                case "--dir": dir = Paths.get(value).toAbsolutePath(); break;
                case "--compression": compression = true; i--; break;
                default: throw new IllegalArgumentException("unknown option " + args[i] + " (see the class comment)");
            }
        }
        BroadcastStateBench bench = new BroadcastStateBench(workspaces, checkpoints, Duration.ofSeconds(timeout), dir,
                compression);
        Path file = dir.resolve("registrations-" + workspaces + ".ndjson");
        long bytes = WorkspaceCorpus.writeFile(file, workspaces);
        Path empty = dir.resolve("registrations-0.ndjson");
        WorkspaceCorpus.writeFile(empty, 0);
        System.out.printf(Locale.ROOT, "%s  %,d workspaces, registrations file %s (%.1f MB); JVM max heap %,d MB%n",
                LocalDate.now(), workspaces, file, bytes / 1e6, Runtime.getRuntime().maxMemory() >> 20);
        List<String> summary = new ArrayList<>();
        for (String backend : backends) {
            for (int parallelism : parallelisms) {
                summary.add(bench.run(backend, parallelism, empty, file));
            }
        }
        System.out.println();
        System.out.println("| backend | parallelism | workspaces | load s | heap per subtask MB (target ≤ 100) "
                + "| checkpoint median ms (target ≤ 1000), baseline | checkpoint size MB, baseline |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        summary.forEach(System.out::println);
        System.exit(0); // the MiniCluster leaves non-daemon threads behind
    }

    String run(String backend, int parallelism, Path empty, Path file) throws Exception {
        System.out.printf(Locale.ROOT, "%n== %s backend, parallelism %d, snapshot compression %s ==%n", backend,
                parallelism, compression ? "on" : "off");
        Configuration conf = clusterConfig(backend, dir.resolve("run-" + backend + "-p" + parallelism));
        conf.set(ExecutionOptions.SNAPSHOT_COMPRESSION, compression);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(parallelism)
                .build());
        cluster.start();
        try {
            Phase baseline = phase(cluster, conf, parallelism, empty, 0);
            Phase loaded = phase(cluster, conf, parallelism, file, workspaces);
            long perSubtask = (loaded.liveHeap - baseline.liveHeap) / parallelism;
            System.out.printf(Locale.ROOT, "live heap: baseline %.1f MB, with %,d workspaces %.1f MB: %.1f MB per "
                            + "subtask (%d B per workspace) -> target %s%n", baseline.liveHeap / 1e6, loaded.applied,
                    loaded.liveHeap / 1e6, perSubtask / 1e6, perSubtask / Math.max(1, loaded.applied),
                    perSubtask <= HEAP_TARGET_BYTES ? "met" : "MISSED");
            printGrowth(baseline.histogram, loaded.histogram);
            System.out.printf(Locale.ROOT, "checkpoints: median %d ms (baseline %d ms), size %.1f MB (baseline %.2f "
                            + "MB) -> target %s%n", loaded.medianCheckpointMillis(),
                    baseline.medianCheckpointMillis(), loaded.checkpointBytes() / 1e6,
                    baseline.checkpointBytes() / 1e6,
                    loaded.medianCheckpointMillis() <= CHECKPOINT_TARGET_MILLIS ? "met" : "MISSED");
            return String.format(Locale.ROOT, "| %s%s | %d | %,d | %.1f | %.1f | %d, %d | %.1f, %.2f |", backend,
                    compression ? " + compression" : "", parallelism, loaded.applied, loaded.loadMillis / 1e3, perSubtask / 1e6,
                    loaded.medianCheckpointMillis(), baseline.medianCheckpointMillis(),
                    loaded.checkpointBytes() / 1e6, baseline.checkpointBytes() / 1e6);
        } finally {
            cluster.close();
        }
    }

    private Phase phase(MiniCluster cluster, Configuration conf, int parallelism, Path file, int count)
            throws Exception {
        JobID job = cluster.submitJob(BenchJob.graph(conf, parallelism, file, count)).get().getJobID();
        long start = System.nanoTime();
        FlinkRest rest = new FlinkRest(cluster.getRestAddress().get(), job);
        long expected = (long) count * parallelism;
        long applied = rest.awaitCounter(BenchJob.ENRICH_NAME, "registrationsApplied", parallelism, expected,
                loadTimeout);
        Phase phase = new Phase(applied / parallelism, (System.nanoTime() - start) / 1_000_000);
        System.out.printf(Locale.ROOT, "%,d workspaces: %s in %.1f s%n", count,
                applied == expected ? "all applied" : "only " + applied / parallelism + " applied", phase.loadMillis / 1e3);
        CheckpointProbe probe = new CheckpointProbe(cluster, job, BenchJob.ENRICH_NAME);
        // The file source ends after its last line and waits for one more checkpoint before it finishes; until it
        // has, it declines checkpoints. A Kafka source never ends, so this is the file stand-in's quirk only.
        try {
            probe.trigger();
        } catch (Exception declined) {
            System.out.println("  (warm-up checkpoint declined while the registrations source was ending)");
        }
        if (!rest.awaitFinished(BenchJob.REGISTRATIONS_SOURCE_NAME, Duration.ofSeconds(60))) {
            throw new IllegalStateException("the registrations source did not finish");
        }
        phase.liveHeap = Heap.liveBytes();
        phase.histogram = Heap.histogram();
        for (int i = 0; i < checkpoints; i++) {
            CheckpointProbe.Result r = probe.trigger();
            phase.checkpoints.add(r);
            System.out.println("  " + r);
        }
        cluster.cancelJob(job).get();
        while (!cluster.getJobStatus(job).get().isGloballyTerminalState()) {
            Thread.sleep(100);
        }
        if (cluster.getJobStatus(job).get() != JobStatus.CANCELED) {
            throw new IllegalStateException("bench job ended " + cluster.getJobStatus(job).get());
        }
        return phase;
    }

    private static void printGrowth(Map<String, long[]> before, Map<String, long[]> after) {
        System.out.println("  classes that grew most (live instances, bytes):");
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), new long[] {
                    e.getValue()[0] - before.getOrDefault(e.getKey(), new long[2])[0],
                    e.getValue()[1] - before.getOrDefault(e.getKey(), new long[2])[1]}))
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[1]))
                .limit(10)
                .forEach(e -> System.out.printf(Locale.ROOT, "    %-60s %,12d %,14d%n", e.getKey(), e.getValue()[0],
                        e.getValue()[1]));
    }

    private static Configuration clusterConfig(String backend, Path runDir) throws Exception {
        Files.createDirectories(runDir);
        Configuration conf = new Configuration();
        conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.HOST, "127.0.0.1");
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0");
        conf.set(CoreOptions.TMP_DIRS, runDir.resolve("tmp").toString());
        conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(500));
        conf.set(StateBackendOptions.STATE_BACKEND, backend);
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, runDir.resolve("checkpoints").toUri().toString());
        return conf;
    }

    /** What one job showed. */
    private static final class Phase {
        final long applied;
        final long loadMillis;
        long liveHeap;
        Map<String, long[]> histogram;
        final List<CheckpointProbe.Result> checkpoints = new ArrayList<>();

        Phase(long applied, long loadMillis) {
            this.applied = applied;
            this.loadMillis = loadMillis;
        }

        long medianCheckpointMillis() {
            long[] d = checkpoints.stream().mapToLong(c -> c.endToEndMillis).sorted().toArray();
            return d.length == 0 ? -1 : d[d.length / 2];
        }

        long checkpointBytes() {
            return checkpoints.isEmpty() ? -1 : checkpoints.get(checkpoints.size() - 1).checkpointedBytes;
        }
    }
}
