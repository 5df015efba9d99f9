package io.logflow.bench.templates;

import io.logflow.bench.pipeline.CloudWatchCorpus;
import io.logflow.decode.CloudWatchDecoder;
import io.logflow.model.LogEvent;
import io.logflow.model.RawLog;
import io.logflow.parse.LogParser;
import io.logflow.parse.ParseOutcome;
import io.logflow.parse.multiline.MultilineJoiner;
import io.logflow.parse.template.TemplateMiner;
import io.logflow.parse.template.TokenMasker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The template step's own cost on the events of the pipeline benchmark ({@link CloudWatchCorpus}, decoded, joined and
 * parsed before the clock starts): nanoseconds per event of one {@link TemplateMiner} per routing key, as the job's
 * template operator runs them, of the {@link TokenMasker} alone, and of {@code String.split} on spaces as a floor.
 * Each round mines the corpus afresh into new miners, so founding and matching both count.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.logflow.bench.templates.TemplateStepCost [rounds] [payloads]
 * </pre>
 */
public final class TemplateStepCost {
    private TemplateStepCost() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int payloads = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        List<LogEvent> events = events(payloads);
        String[] keys = new String[events.size()];
        String[] messages = new String[events.size()];
        long[] times = new long[events.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = events.get(i).routingKey;
            messages[i] = events.get(i).message;
            times[i] = events.get(i).timestamp;
        }
        System.out.printf("%,d events with a message from %,d payloads%n", keys.length, payloads);
        long sink = 0;
        double[] mine = new double[rounds];
        double[] mask = new double[rounds];
        double[] split = new double[rounds];
        int templates = 0;
        int sources = 0;
        for (int r = -2; r < rounds; r++) { // two rounds of warm-up
            long t = System.nanoTime();
            Map<String, TemplateMiner> miners = new HashMap<>();
            for (int i = 0; i < keys.length; i++) {
                TemplateMiner miner = miners.get(keys[i]);
                if (miner == null) {
                    miner = new TemplateMiner(TemplateMiner.seedOf(keys[i]));
                    miners.put(keys[i], miner);
                }
                sink += miner.add(messages[i], times[i]).count;
            }
            long minedAt = System.nanoTime();
            TokenMasker masker = new TokenMasker();
            TokenMasker.Tokens tokens = new TokenMasker.Tokens();
            for (String m : messages) {
                masker.tokens(m, tokens);
                sink += tokens.size;
            }
            long maskedAt = System.nanoTime();
            for (String m : messages) {
                sink += m.split(" ").length;
            }
            long splitAt = System.nanoTime();
            if (r >= 0) {
                mine[r] = (minedAt - t) / (double) keys.length;
                mask[r] = (maskedAt - minedAt) / (double) keys.length;
                split[r] = (splitAt - maskedAt) / (double) keys.length;
            }
            templates = miners.values().stream().mapToInt(TemplateMiner::size).sum();
            sources = miners.size();
        }
        System.out.printf("%d sources, %,d templates after a round (%.1f a source)%n", sources, templates,
                templates / (double) sources);
        System.out.printf("ns per event, median (best) of %d rounds: miners %.0f (%.0f), masker alone %.0f (%.0f), "
                + "split %.0f (%.0f)%n", rounds, median(mine), min(mine), median(mask), min(mask), median(split),
                min(split));
        if (sink == 42) {
            System.out.println();
        }
    }

    private static List<LogEvent> events(int payloads) {
        CloudWatchDecoder decoder = new CloudWatchDecoder();
        LogParser parser = new LogParser();
        List<LogEvent> out = new ArrayList<>();
        for (byte[] payload : CloudWatchCorpus.payloads(10, payloads, null)) {
            MultilineJoiner joiner = new MultilineJoiner();
            List<RawLog> joined = new ArrayList<>();
            for (RawLog record : decoder.decode(payload, 1_790_000_000_000L).events()) {
                joined.addAll(joiner.offer(record));
            }
            joined.addAll(joiner.flush());
            for (RawLog record : joined) {
                ParseOutcome outcome = parser.parse(record);
                if (outcome.kind == ParseOutcome.Kind.EVENT && outcome.event.message != null) {
                    out.add(outcome.event);
                }
            }
        }
        return out;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double min(double[] v) {
        double m = Double.MAX_VALUE;
        for (double x : v) {
            m = Math.min(m, x);
        }
        return m;
    }
}
