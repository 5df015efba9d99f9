package io.logflow.bench.templates;

import io.logflow.parse.template.TemplateMatch;
import io.logflow.parse.template.TemplateMiner;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Grouping accuracy and cost of {@link TemplateMiner} on Loghub-2k (github.com/logpai/loghub; the labelled 2k sets
 * are also in github.com/logpai/logparser under {@code data/loghub_2k}, corrected labels under
 * {@code data/loghub_2k_corrected}).
 *
 * <p>Each set's {@code Content} goes, in file order, into one fresh miner with the default configuration, and the id
 * {@code add} returned when the line was processed is scored: what a stream sees. Then the CPU time per line of the
 * same feeding, over several rounds (median).
 *
 * <pre>
 * java -cp ... io.logflow.bench.templates.TemplateAccuracy /path/to/loghub_2k [--corrected] [--rounds 7] [--misses SET]
 * </pre>
 */
public final class TemplateAccuracy {
    private TemplateAccuracy() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: TemplateAccuracy <loghub_2k dir> [--corrected] [--rounds N] [--misses SET]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        boolean corrected = Arrays.asList(args).contains("--corrected");
        int rounds = intOption(args, "--rounds", 7);
        String misses = stringOption(args, "--misses");
        List<LabelledSet> sets = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path p : children.filter(Files::isDirectory).sorted().toList()) {
                String name = p.getFileName().toString();
                if (Files.exists(p.resolve(name + "_2k.log_structured" + (corrected ? "_corrected" : "") + ".csv"))) {
                    sets.add(LabelledSet.read(p, corrected));
                }
            }
        }
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("no <Set>/<Set>_2k.log_structured.csv under " + dir);
        }
        double sum = 0;
        System.out.printf("%-12s %6s %9s %9s %9s%n", "set", "GA", "templates", "events", "state KB");
        for (LabelledSet set : sets) {
            TemplateMiner miner = new TemplateMiner(0);
            List<String> ids = new ArrayList<>(set.messages().size());
            for (int i = 0; i < set.messages().size(); i++) {
                ids.add(miner.add(set.messages().get(i), i * 1000L).id);
            }
            double ga = GroupingAccuracy.of(ids, set.events());
            sum += ga;
            System.out.printf("%-12s %6.3f %9d %9d %9.1f%n", set.name(), ga, ids.stream().distinct().count(),
                    set.events().stream().distinct().count(), snapshotBytes(miner) / 1024.0);
            if (set.name().equals(misses)) {
                Misses.print(set, ids);
            }
        }
        System.out.printf("%-12s %6.3f%n", "average", sum / sets.size());
        double[] cost = nanosPerLine(sets, rounds);
        System.out.printf("ns per line (CPU, median of %d rounds): miner %.0f, baseline String.split(\" \") %.0f,"
                + " ratio %.2f; best round: miner %.0f, baseline %.0f; load average %.1f on %d cores%n", rounds,
                cost[0], cost[1], cost[0] / cost[1], cost[2], cost[3],
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }

    /** The miner's size in a checkpoint. */
    static int snapshotBytes(TemplateMiner miner) throws java.io.IOException {
        org.apache.flink.core.memory.DataOutputSerializer out = new org.apache.flink.core.memory.DataOutputSerializer(4096);
        io.logflow.parse.template.TemplateMinerSerializer.INSTANCE.serialize(miner, out);
        return out.length();
    }

    /**
     * CPU time of this thread per line, feeding every set into a fresh miner, and of a baseline that only splits each
     * line at spaces, alternating in each round (a loaded machine slows both): the medians over rounds, then the
     * best rounds (the least disturbed by neighbours).
     */
    static double[] nanosPerLine(List<LabelledSet> sets, int rounds) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long lines = sets.stream().mapToLong(s -> s.messages().size()).sum();
        double[] miner = new double[rounds];
        double[] baseline = new double[rounds];
        long sink = 0;
        for (int warm = 0; warm < 5; warm++) {
            sink += feedAll(sets) + splitAll(sets);
        }
        for (int r = 0; r < rounds; r++) {
            long start = threads.getCurrentThreadCpuTime();
            sink += feedAll(sets);
            long mid = threads.getCurrentThreadCpuTime();
            sink += splitAll(sets);
            long end = threads.getCurrentThreadCpuTime();
            miner[r] = (double) (mid - start) / lines;
            baseline[r] = (double) (end - mid) / lines;
        }
        if (sink == 42) {
            System.out.print(""); // keeps the work observable
        }
        Arrays.sort(miner);
        Arrays.sort(baseline);
        return new double[] {miner[rounds / 2], baseline[rounds / 2], miner[0], baseline[0]};
    }

    private static long splitAll(List<LabelledSet> sets) {
        long sink = 0;
        for (LabelledSet set : sets) {
            for (String m : set.messages()) {
                sink += m.split(" ").length;
            }
        }
        return sink;
    }

    private static long feedAll(List<LabelledSet> sets) {
        long sink = 0;
        for (LabelledSet set : sets) {
            TemplateMiner miner = new TemplateMiner(0);
            long t = 0;
            for (String m : set.messages()) {
                TemplateMatch match = miner.add(m, t += 1000);
                sink += match.count;
            }
        }
        return sink;
    }

    private static int intOption(String[] args, String name, int otherwise) {
        String v = stringOption(args, name);
        return v == null ? otherwise : Integer.parseInt(v);
    }

    private static String stringOption(String[] args, String name) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return null;
    }
}
