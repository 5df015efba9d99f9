package io.logflow.bench.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logflow.decode.CloudWatchDecoder;
import io.logflow.model.EventIds;
import io.logflow.model.LogEvent;
import io.logflow.model.RawLog;
import io.logflow.model.RawLogBatchSerializer;
import io.logflow.parse.LogParser;
import io.logflow.parse.ParseOutcome;
import io.logflow.parse.multiline.MultilineJoiner;
import io.logflow.parse.template.TemplateMiner;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static io.logflow.bench.Rounds.f;

/**
 * What the job's steps cost on {@link PipelineThroughput}'s corpus, by this thread's CPU time, next to the baseline
 * those figures are judged against (gunzip + {@code readTree}) and the first half of that baseline, gunzip alone. One
 * thread, no Flink: the figures are the job's own work, free of the task threads, the collector and the JIT.
 *
 * <p>The steps are the CloudWatch path's, run as the job runs them, payload by payload: decode (inflate, read the
 * envelope, make each event's id), the batch's trip through the exchange's serializer and back, then record by record
 * the multi-line join, the parse and the template step (one miner per routing key, new each round as in each round
 * of {@link PipelineThroughput}). Enrichment is left out: it is a lookup remembered per routing key. Each pass runs the
 * steps up to one more than the pass before, so a step's cost is the difference of two passes and is paid with the
 * data where the job has it, fresh in the cache; the event ids are timed by a pass that makes them twice. The last pass
 * is a floor for the pipeline's CPU per event: a pipeline at {@code k} times the baseline's events per CPU-second has
 * {@code baseline / k} nanoseconds an event for all of its work.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.logflow.bench.pipeline.WorkFloor [rounds]}
 */
public final class WorkFloor {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long RECEIVED = 1_790_000_000_000L;
    private static final String[] PASSES = {"gunzip alone", "gunzip + readTree (the baseline)", "decode",
        "decode, the event ids made twice", "decode, exchange codec", "decode, codec, multi-line join",
        "decode, codec, join, parse", "decode, codec, join, parse, template step"};
    private static final int GUNZIP = 0;
    private static final int BASELINE = 1;
    private static final int DECODE = 2;
    private static final int IDS_TWICE = 3;
    private static final int CODEC = 4;
    private static final int JOIN = 5;
    private static final int PARSE = 6;
    private static final int TEMPLATES = 7;

    private WorkFloor() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        long[] eventCount = new long[1];
        List<byte[]> payloads = CloudWatchCorpus.payloads(PipelineThroughput.SEED, PipelineThroughput.DISTINCT,
                eventCount);
        double events = eventCount[0];
        Passes passes = new Passes(payloads);
        double[][] nanos = new double[PASSES.length][rounds];
        for (int r = -5; r < rounds; r++) { // five rounds of warm-up
            for (int pass = 0; pass < PASSES.length; pass++) {
                long t = THREADS.getCurrentThreadCpuTime();
                passes.run(pass);
                if (r >= 0) {
                    nanos[pass][r] = (THREADS.getCurrentThreadCpuTime() - t) / events;
                }
            }
        }
        double[] median = new double[PASSES.length];
        System.out.println(f("%,d payloads, %,d CloudWatch events; ns of this thread's CPU per event, median of %d "
                + "rounds (low, high)", payloads.size(), eventCount[0], rounds));
        System.out.println("| pass | ns per event | low | high |");
        System.out.println("|---|---:|---:|---:|");
        for (int pass = 0; pass < PASSES.length; pass++) {
            double[] sorted = nanos[pass].clone();
            Arrays.sort(sorted);
            median[pass] = sorted[rounds / 2];
            System.out.println(f("| %s | %,.0f | %,.0f | %,.0f |", PASSES[pass], median[pass], sorted[0],
                    sorted[rounds - 1]));
        }
        System.out.println(f("steps, ns per event: event ids %,.0f, exchange codec %,.0f, join %,.0f, parse %,.0f, "
                + "template step %,.0f", median[IDS_TWICE] - median[DECODE], median[CODEC] - median[DECODE],
                median[JOIN] - median[CODEC], median[PARSE] - median[JOIN], median[TEMPLATES] - median[PARSE]));
        double baseline = median[BASELINE];
        System.out.println(f("all steps: %.2f of the baseline's events per CPU-second; decode and parse alone (without "
                + "the codec and join): %.2f; 0.5 allows %,.0f ns an event for the whole pipeline; sink %d",
                baseline / median[TEMPLATES], baseline / (median[PARSE] - median[JOIN] + median[DECODE]),
                2 * baseline, passes.sink % 10));
    }

    /** The passes over the whole corpus. */
    private static final class Passes {
        private final List<byte[]> payloads;
        private final ObjectMapper mapper = new ObjectMapper();
        private final CloudWatchDecoder decoder = new CloudWatchDecoder();
        private final LogParser parser = new LogParser();
        private final DataOutputSerializer out = new DataOutputSerializer(64 * 1024);
        private final DataInputDeserializer in = new DataInputDeserializer();
        private final byte[] buffer = new byte[64 * 1024];
        long sink;

        Passes(List<byte[]> payloads) {
            this.payloads = payloads;
        }

        /** Runs pass {@code pass} of {@link #PASSES} over every payload. */
        void run(int pass) throws Exception {
            if (pass == GUNZIP) {
                for (byte[] payload : payloads) {
                    try (InputStream gunzip = new GZIPInputStream(new ByteArrayInputStream(payload))) {
                        for (int n; (n = gunzip.read(buffer)) > 0; ) {
                            sink += n;
                        }
                    }
                }
                return;
            }
            if (pass == BASELINE) {
                sink += PipelineThroughput.gunzipAndReadTree(mapper, payloads, payloads.size());
                return;
            }
            Map<String, TemplateMiner> miners = new HashMap<>();
            for (byte[] payload : payloads) {
                List<RawLog> batch = decoder.decode(payload, RECEIVED).events();
                if (pass == IDS_TWICE) {
                    for (RawLog e : batch) {
                        sink += EventIds.of("cloudwatch", e.owner, e.logGroup, e.cloudwatchId).length();
                    }
                }
                if (pass < CODEC) {
                    sink += batch.size();
                    continue;
                }
                out.clear();
                RawLogBatchSerializer.INSTANCE.serialize(batch, out);
                in.setBuffer(out.getSharedBuffer(), 0, out.length());
                batch = RawLogBatchSerializer.INSTANCE.deserialize(in);
                if (pass == CODEC) {
                    sink += batch.size();
                    continue;
                }
                MultilineJoiner joiner = new MultilineJoiner(); // a payload is one log stream
                for (RawLog record : batch) {
                    for (RawLog joined : joiner.offer(record)) {
                        then(pass, joined, miners);
                    }
                }
                for (RawLog joined : joiner.flush()) {
                    then(pass, joined, miners);
                }
            }
        }

        /** What follows the join for one record: nothing, the parse, or the parse and the template step. */
        private void then(int pass, RawLog record, Map<String, TemplateMiner> miners) {
            if (pass == JOIN) {
                sink += record.text.length();
                return;
            }
            ParseOutcome outcome = parser.parse(record);
            if (pass == PARSE || outcome.kind != ParseOutcome.Kind.EVENT) {
                sink += outcome.kind.ordinal();
                return;
            }
            LogEvent event = outcome.event;
            TemplateMiner miner = miners.computeIfAbsent(event.routingKey,
                    key -> new TemplateMiner(TemplateMiner.seedOf(key)));
            sink += miner.add(event.message, event.timestamp).count;
        }
    }
}
