package io.logflow.bench.templates;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The miner's cost in two builds, in one JVM and the same rounds: each build's classes ({@code <build>/bench} and
 * {@code <build>/udfs}, copies of {@code target/classes}) in a class loader of their own, then round by round
 * {@link TemplateAccuracy}'s feeding of build A, of build B (the order alternating) and the {@code split} baseline.
 * On a shared machine, separate runs differ by more than two builds do; a ratio taken within each round does not.
 *
 * <pre>
 * java -cp bench/target/classes io.logflow.bench.templates.TemplateCostCompare /path/to/loghub_2k /tmp/a /tmp/b [rounds]
 * </pre>
 */
public final class TemplateCostCompare {
    private TemplateCostCompare() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: TemplateCostCompare <loghub_2k dir> <build A> <build B> [rounds]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 31;
        URL flink = Path.of(org.apache.flink.core.memory.DataOutputSerializer.class.getProtectionDomain()
                .getCodeSource().getLocation().toURI()).toUri().toURL();
        Method[] feed = new Method[2];
        Method split = null;
        Object[] sets = new Object[2];
        long lines = 0;
        for (int v = 0; v < 2; v++) {
            Path build = Path.of(args[1 + v]);
            URLClassLoader loader = new URLClassLoader(new URL[] {build.resolve("bench").toUri().toURL(),
                build.resolve("udfs").toUri().toURL(), flink}, ClassLoader.getPlatformClassLoader());
            Class<?> accuracy = loader.loadClass(TemplateAccuracy.class.getName());
            Method read = loader.loadClass(LabelledSet.class.getName()).getDeclaredMethod("read", Path.class,
                    boolean.class);
            read.setAccessible(true);
            List<Object> loaded = new ArrayList<>();
            lines = 0;
            try (Stream<Path> children = Files.list(dir)) {
                for (Path p : children.filter(Files::isDirectory).sorted().toList()) {
                    if (Files.exists(p.resolve(p.getFileName() + "_2k.log_structured.csv"))) {
                        Object set = read.invoke(null, p, false);
                        loaded.add(set);
                        lines += LabelledSet.read(p, false).messages().size();
                    }
                }
            }
            sets[v] = loaded;
            feed[v] = accuracy.getDeclaredMethod("feedAll", List.class);
            feed[v].setAccessible(true);
            if (v == 0) {
                split = accuracy.getDeclaredMethod("splitAll", List.class);
                split.setAccessible(true);
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[][] nanos = new double[3][rounds];
        double[] ratio = new double[rounds];
        long sink = 0;
        for (int r = -5; r < rounds; r++) {
            for (int k = 0; k < 2; k++) {
                int v = (r & 1) == 0 ? k : 1 - k;
                long start = threads.getCurrentThreadCpuTime();
                sink += (long) feed[v].invoke(null, sets[v]);
                long end = threads.getCurrentThreadCpuTime();
                if (r >= 0) {
                    nanos[v][r] = (double) (end - start) / lines;
                }
            }
            long start = threads.getCurrentThreadCpuTime();
            sink += (long) split.invoke(null, sets[0]);
            long end = threads.getCurrentThreadCpuTime();
            if (r >= 0) {
                nanos[2][r] = (double) (end - start) / lines;
                ratio[r] = nanos[1][r] / nanos[0][r];
            }
        }
        for (double[] x : nanos) {
            Arrays.sort(x);
        }
        Arrays.sort(ratio);
        System.out.printf("ns per line (CPU, median of %d rounds): A %.0f, B %.0f, split %.0f; B/A per round: median"
                + " %.2f, quartiles %.2f-%.2f; best rounds A %.0f, B %.0f; load average %.1f%s%n", rounds,
                nanos[0][rounds / 2], nanos[1][rounds / 2], nanos[2][rounds / 2], ratio[rounds / 2],
                ratio[rounds / 4], ratio[3 * rounds / 4], nanos[0][0], nanos[1][0],
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), sink == 42 ? " " : "");
    }
}
