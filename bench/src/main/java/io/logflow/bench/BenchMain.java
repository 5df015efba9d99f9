package io.logflow.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Runs the parser benchmarks and the Jackson {@code readTree} baseline and prints lines/s with each one's ratio to the
 * baseline. Then, because a shared machine's load drifts during a run, it measures the baseline and the mixed corpus
 * back to back in several rounds and prints the median of the per-round ratios, the figure to quote. Arguments are
 * passed to JMH (e.g. {@code -wi 2 -i 3} for a quicker run); {@code -rounds N} sets the paired rounds (default 3).
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws RunnerException, Exception {
        int rounds = 3;
        List<String> jmhArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-rounds") && i + 1 < args.length) {
                rounds = Integer.parseInt(args[++i]);
            } else {
                jmhArgs.add(args[i]);
            }
        }
        Options cli = new CommandLineOptions(jmhArgs.toArray(new String[0]));

        Collection<RunResult> all = new Runner(new OptionsBuilder().parent(cli)
                .include(JacksonBaselineBenchmark.class.getName())
                .include(ParseBenchmark.class.getName())
                .build()).run();
        double baseline = Double.NaN;
        for (RunResult r : all) {
            if (r.getParams().getParam("corpus") == null) {
                baseline = r.getPrimaryResult().getScore();
            }
        }
        System.out.println();
        System.out.println("| benchmark | lines/s | ± (99.9%) | ratio to Jackson readTree |");
        System.out.println("|---|---:|---:|---:|");
        for (RunResult r : all) {
            String corpus = r.getParams().getParam("corpus");
            double score = r.getPrimaryResult().getScore();
            System.out.println(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %.2f |",
                    corpus == null ? "Jackson readTree (json corpus)" : "LogParser " + corpus, score,
                    r.getPrimaryResult().getScoreError(), score / baseline));
        }

        List<Double> ratios = new ArrayList<>();
        System.out.println();
        System.out.println("| round | Jackson readTree lines/s | LogParser mixed lines/s | ratio |");
        System.out.println("|---|---:|---:|---:|");
        for (int round = 1; round <= rounds; round++) {
            double base = score(cli, JacksonBaselineBenchmark.class.getName(), null);
            double mixed = score(cli, ParseBenchmark.class.getName(), "mixed");
            ratios.add(mixed / base);
            System.out.println(String.format(Locale.ROOT, "| %d | %,.0f | %,.0f | %.2f |", round, base, mixed,
                    mixed / base));
        }
        Collections.sort(ratios);
        System.out.println(String.format(Locale.ROOT, "%nmedian mixed/readTree ratio over %d paired rounds: %.2f",
                rounds, ratios.get(ratios.size() / 2)));
    }

    private static double score(Options cli, String benchmark, String corpus) throws RunnerException {
        OptionsBuilder b = new OptionsBuilder();
        b.parent(cli).include(benchmark + ".*");
        if (corpus != null) {
            b.param("corpus", corpus);
        }
        RunResult r = new Runner(b.build()).runSingle();
        return r.getPrimaryResult().getScore();
    }
}
