package io.logflow.bench;

import java.util.Arrays;
import java.util.Locale;

/** Medians and the table rows the harnesses print. */
public final class Rounds {
    private Rounds() {}

    public static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    public static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** The 1-minute load average, printed with every result: the machine is shared. */
    public static String load() {
        return f("%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
