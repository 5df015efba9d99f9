package io.logflow.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logflow.model.RawLog;
import io.logflow.parse.LogParser;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * Lines per CPU-second of this thread, the baseline and each corpus measured in alternation, round after round. On a
 * shared machine wall-clock throughput follows the neighbours' load; thread CPU time mostly does not, so the ratios
 * from here are the ones to trust when the JMH errors are wide. Not a JMH benchmark: same JIT caveats, so it warms up
 * first and reports the median round.
 */
public final class CpuTimeComparison {
    private static final String[] CORPORA = {"json", "logfmt", "syslog", "access", "lambda", "vpc", "text", "mixed"};
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CpuTimeComparison() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        ObjectMapper mapper = new ObjectMapper();
        String[] json = Corpus.lines("json");
        RawLog[][] corpora = new RawLog[CORPORA.length][];
        for (int c = 0; c < CORPORA.length; c++) {
            corpora[c] = Corpus.records(CORPORA[c]);
        }
        LogParser parser = new LogParser();
        long sink = 0;
        for (int w = 0; w < 40; w++) { // warm-up: every path compiled before measuring
            sink += jackson(mapper, json, 3);
            for (RawLog[] c : corpora) {
                sink += parse(parser, c, 3);
            }
        }
        double[] baseline = new double[rounds];
        double[][] perCorpus = new double[CORPORA.length][rounds];
        for (int r = 0; r < rounds; r++) {
            long t = cpu();
            sink += jackson(mapper, json, 10);
            baseline[r] = 10.0 * json.length / seconds(cpu() - t);
            for (int c = 0; c < CORPORA.length; c++) {
                t = cpu();
                sink += parse(parser, corpora[c], 10);
                perCorpus[c][r] = 10.0 * corpora[c].length / seconds(cpu() - t);
            }
        }
        System.out.println("| corpus | lines per CPU-second (median of " + rounds + ") | ratio to Jackson readTree |");
        System.out.println("|---|---:|---:|");
        double base = median(baseline);
        System.out.println(String.format(Locale.ROOT, "| Jackson readTree (json corpus) | %,.0f | 1.00 |", base));
        for (int c = 0; c < CORPORA.length; c++) {
            double v = median(perCorpus[c]);
            System.out.println(String.format(Locale.ROOT, "| LogParser %s | %,.0f | %.2f |", CORPORA[c], v, v / base));
        }
        if (sink == 42) {
            System.out.println(); // keeps the work observable
        }
    }

    private static long jackson(ObjectMapper mapper, String[] lines, int times) throws Exception {
        long n = 0;
        for (int i = 0; i < times; i++) {
            for (String line : lines) {
                n += mapper.readTree(line).size();
            }
        }
        return n;
    }

    private static long parse(LogParser parser, RawLog[] records, int times) {
        long n = 0;
        for (int i = 0; i < times; i++) {
            for (RawLog r : records) {
                n += parser.parse(r).kind.ordinal();
            }
        }
        return n;
    }

    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v[v.length / 2];
    }
}
