package io.logflow.bench.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logflow.decode.CloudWatchDecoder;
import io.logflow.model.RawLog;
import io.logflow.parse.LogParser;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;

import static io.logflow.bench.Rounds.f;

/**
 * {@link PipelineThroughput}'s "parse alone", by this thread's CPU time instead of the process's: the parser on the
 * pipeline corpus's records (decoded and joined once), against gunzip + {@code readTree} of the same payloads in the
 * same rounds. The process's CPU also holds the JIT and the collector, which spread a short run's rounds by a third;
 * this thread's CPU does not, so a change to the parser shows here when the pipeline's figures only show the machine.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.logflow.bench.pipeline.ParseCpuComparison [rounds]}; compare two
 * builds by alternating their runs.
 */
public final class ParseCpuComparison {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ParseCpuComparison() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        List<byte[]> payloads = CloudWatchCorpus.payloads(PipelineThroughput.SEED, PipelineThroughput.DISTINCT,
                null);
        List<RawLog> records = PipelineThroughput.joined(new CloudWatchDecoder(), payloads, payloads.size());
        ObjectMapper mapper = new ObjectMapper();
        LogParser parser = new LogParser();
        long sink = 0;
        double[] ratios = new double[rounds];
        for (int r = -5; r < rounds; r++) { // five rounds of warm-up
            long start = THREADS.getCurrentThreadCpuTime();
            sink += PipelineThroughput.gunzipAndReadTree(mapper, payloads, payloads.size());
            long baseline = THREADS.getCurrentThreadCpuTime();
            for (RawLog record : records) {
                sink += parser.parse(record).kind.ordinal();
            }
            long end = THREADS.getCurrentThreadCpuTime();
            if (r >= 0) {
                ratios[r] = (double) (baseline - start) / (end - baseline); // same events: CPU time ratio
            }
        }
        Arrays.sort(ratios);
        System.out.println(f("parse alone / gunzip + readTree, events per CPU-second of this thread: median %.3f "
                + "(low %.3f, high %.3f) over %d rounds, %,d records%s", ratios[rounds / 2], ratios[0],
                ratios[rounds - 1], rounds, records.size(), sink == 42 ? "" : "."));
    }
}
