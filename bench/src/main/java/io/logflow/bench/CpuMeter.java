package io.logflow.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far by this JVM (the harness, the MiniCluster, an in-JVM Elasticsearch) plus, once
 * {@link #watchPostgres} is called, the embedded PostgreSQL server and all its processes. On a shared, overloaded
 * machine throughput follows the neighbours' load, but the CPU spent per row mostly does not: dividing work by this
 * meter's difference gives a rate per CPU-second that is comparable between alternating rounds.
 */
public final class CpuMeter {
    private static final long TICK_NANOS = 10_000_000L; // USER_HZ = 100 on Linux
    private static volatile int postmaster = -1;

    private CpuMeter() {}

    /** Counts the server whose {@code postmaster.pid} is in {@code dataDirectory} from now on. */
    public static void watchPostgres(Path dataDirectory) throws IOException {
        postmaster = Integer.parseInt(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
    }

    /** Nanoseconds of CPU so far. */
    public static long total() {
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return jvm + postgres();
    }

    /** The postmaster's own and reaped children's time, plus its live children's. */
    private static long postgres() {
        int pid = postmaster;
        if (pid < 0) {
            return 0;
        }
        long ticks = 0;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!Character.isDigit(name.charAt(0))) {
                    continue;
                }
                String[] f = stat(p);
                if (f == null) {
                    continue;
                }
                int self = Integer.parseInt(name);
                int parent = Integer.parseInt(f[1]);
                if (self == pid) {
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13])
                            + Long.parseLong(f[14]);
                } else if (parent == pid) {
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc", e);
        }
        return ticks * TICK_NANOS;
    }

    /** Fields of /proc/PID/stat after the command name: [0] state, [1] ppid, ... [11] utime ... [14] cstime. */
    private static String[] stat(Path proc) {
        try {
            String s = Files.readString(proc.resolve("stat"));
            return s.substring(s.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null; // gone meanwhile
        }
    }
}
