package io.logflow.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Runs the parser benchmarks and the Jackson baseline in one JVM session and prints lines/s and the ratio of each to
 * the baseline. Extra arguments are passed to JMH (e.g. {@code -wi 1 -i 2} for a quick run).
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws RunnerException, Exception {
        Options cli = new CommandLineOptions(args);
        Options options = new OptionsBuilder().parent(cli)
                .include(ParseBenchmark.class.getSimpleName())
                .include(JacksonBaselineBenchmark.class.getSimpleName())
                .build();
        Collection<RunResult> results = new Runner(options).run();

        double baseline = Double.NaN;
        List<String[]> rows = new ArrayList<>();
        for (RunResult r : results) {
            String corpus = r.getParams().getParam("corpus");
            String name = corpus == null ? "jackson readTree (json)" : "LogParser " + corpus;
            double score = r.getPrimaryResult().getScore();
            double error = r.getPrimaryResult().getScoreError();
            if (corpus == null) {
                baseline = score;
            }
            rows.add(new String[] {name, String.valueOf(score), String.valueOf(error)});
        }
        System.out.println();
        System.out.println("| benchmark | lines/s | ± (99.9%) | ratio to Jackson readTree |");
        System.out.println("|---|---:|---:|---:|");
        for (String[] row : rows) {
            double score = Double.parseDouble(row[1]);
            System.out.println(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %.2f |", row[0], score,
                    Double.parseDouble(row[2]), score / baseline));
        }
    }
}
