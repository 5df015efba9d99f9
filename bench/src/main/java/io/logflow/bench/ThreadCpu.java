package io.logflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of this JVM's threads, from {@code /proc/self/task}, grouped by what they do: a Flink task's thread by its
 * name (the first 15 characters Linux keeps), the JIT compilers, garbage collection. Where {@link CpuMeter} says how
 * much CPU a round took, this says who took it.
 */
public final class ThreadCpu {
    private static final long TICK_NANOS = 10_000_000L; // USER_HZ = 100 on Linux

    private ThreadCpu() {}

    /** CPU ticks so far of every live thread, by thread id, with its name. */
    public static Map<String, Sample> snapshot() {
        Map<String, Sample> threads = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    threads.put(task.getFileName().toString(),
                            new Sample(name, Long.parseLong(f[11]) + Long.parseLong(f[12])));
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/task", e);
        }
        return threads;
    }

    /** Nanoseconds of CPU between two snapshots, by {@link #group}; a thread born in between counts from zero. */
    public static Map<String, Long> between(Map<String, Sample> before, Map<String, Sample> after) {
        Map<String, Long> nanos = new HashMap<>();
        after.forEach((tid, a) -> {
            Sample b = before.get(tid);
            long ticks = a.ticks - (b != null && b.name.equals(a.name) ? b.ticks : 0);
            if (ticks > 0) {
                nanos.merge(group(a.name), ticks * TICK_NANOS, Long::sum);
            }
        });
        return nanos;
    }

    /** Adds {@code more} into {@code sums}. */
    public static void add(Map<String, Long> sums, Map<String, Long> more) {
        more.forEach((group, n) -> sums.merge(group, n, Long::sum));
    }

    /** The groups, most CPU first, as "name: µs per item (share)". */
    public static String describe(Map<String, Long> nanos, long items) {
        long total = nanos.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Long> sorted = new LinkedHashMap<>();
        nanos.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        StringBuilder sb = new StringBuilder();
        sorted.forEach((group, n) -> sb.append(String.format("  %-24s %6.2f µs (%4.1f %%)%n", group,
                n / 1e3 / items, 100.0 * n / total)));
        sb.append(String.format("  %-24s %6.2f µs%n", "all threads", total / 1e3 / items));
        return sb.toString();
    }

    /** The JIT compilers and the collector's threads as one group each; any other thread by its name. */
    static String group(String name) {
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return "JIT compilers";
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")) {
            return "garbage collection, VM";
        }
        return name.replaceAll("#\\d+$", "");
    }

    /** One thread's name and CPU ticks. */
    public static final class Sample {
        final String name;
        final long ticks;

        Sample(String name, long ticks) {
            this.name = name;
            this.ticks = ticks;
        }
    }
}
