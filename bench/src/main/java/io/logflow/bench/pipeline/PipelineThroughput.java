package io.logflow.bench.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logflow.app.JobConfig;
import io.logflow.app.LogflowJob;
import io.logflow.app.LogflowOptions;
import io.logflow.bench.Comparison;
import io.logflow.bench.CpuMeter;
import io.logflow.bench.Rate;
import io.logflow.bench.ThreadCpu;
import io.logflow.bench.servers.BenchCluster;
import io.logflow.bench.servers.BenchPostgres;
import io.logflow.config.Settings;
import io.logflow.decode.CloudWatchDecoder;
import io.logflow.decode.DecodeResult;
import io.logflow.model.RawLog;
import io.logflow.parse.LogParser;
import io.logflow.parse.ParseOutcome;
import io.logflow.parse.multiline.MultilineJoiner;
import io.logflow.sink.postgres.PostgresConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static io.logflow.bench.Rounds.f;

/**
 * Issue 10, row 1: the job's decode + parse + enrich ({@link LogflowJob} with the CloudWatch operators, workspace
 * enrichment from a registrations file, parallelism 1, a counting sink) against a single-thread loop that gunzips the
 * same payloads and reads each with Jackson's {@code readTree}. Rounds alternate baseline and pipeline; the figure to
 * quote is the median of the per-round ratios of events per second.
 *
 * <p>A third measure, in the same rounds, tells what part of the gap is the job's own work rather than Flink's: the
 * job's decoder, multi-line joiner and parser called in a plain loop in this thread (no Flink, no enrichment). A fourth
 * times the parser alone on the same records, decoded and joined before the clock starts: at parallelism 1 the parse
 * operator is one instance in one thread, so this is a ceiling the pipeline cannot pass.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.logflow.bench.pipeline.PipelineThroughput [rounds] [payloads]
 * [parallelism]}: the figure is at parallelism 1 (the default); a higher one shows how the job spreads.
 */
public final class PipelineThroughput {
    static final long SEED = 10;
    static final int DISTINCT = 2_000;
    /** Events that reached the counting sink, per pipeline run: with nothing lost, the same in every run. */
    private static final List<Long> COUNTED = new ArrayList<>();

    private PipelineThroughput() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 8_000;
        int parallelism = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        long[] distinctEvents = new long[1];
        List<byte[]> payloads = CloudWatchCorpus.payloads(SEED, DISTINCT, distinctEvents);
        long bytes = payloads.stream().mapToLong(p -> p.length).sum();
        System.out.println(f("corpus: %,d distinct payloads, %,d events, %,d gzipped bytes; %,d payloads a round",
                DISTINCT, distinctEvents[0], bytes, perRound));

        try (BenchPostgres postgres = BenchPostgres.start()) {
            // Postgres holds only the workspaces table the enrichment writes; events go to the counting sink.
            PostgresConfig db = postgres.database("pipeline", 1_000, Duration.ofSeconds(1));
            Path registrations = Path.of("target/bench-data/registrations.ndjson").toAbsolutePath();
            CloudWatchCorpus.writeRegistrations(registrations);
            JobConfig config = JobConfig.withoutSource(Settings.load(new String[] {
                "--postgres.url", db.url, "--postgres.user", db.user,
                "--workspaces.file", registrations.toUri().toString(),
                "--kinesis.stream-arn", "arn:aws:kinesis:us-east-1:000000000000:stream/bench",
                "--job.parallelism", Integer.toString(parallelism), "--job.checkpoint-interval", "10 s",
                "--job.name", "bench-pipeline",
                "--metrics.enabled", "false"},
                    Map.of(), LogflowOptions.all()));

            ObjectMapper mapper = new ObjectMapper();
            long roundEvents = events(mapper, payloads, perRound);
            baseline(mapper, payloads, perRound); // warm-up of both before the measured rounds
            pipeline(config, perRound, roundEvents);
            codeOnly(config, payloads, perRound);
            parseOnly(config, joined(config, payloads, perRound), roundEvents);
            Comparison table = new Comparison("events", "gunzip + readTree (1 thread)",
                    "pipeline, parallelism " + parallelism);
            Comparison work = new Comparison("events", "gunzip + readTree (1 thread)",
                    "decode + join + parse, no Flink (1 thread)");
            Comparison parseAlone = new Comparison("events", "gunzip + readTree (1 thread)",
                    "parse alone, no Flink (1 thread)");
            Map<String, Long> cpuByThread = new HashMap<>();
            for (int r = 0; r < rounds; r++) {
                Rate base = baseline(mapper, payloads, perRound);
                Rate job = pipeline(config, perRound, roundEvents);
                ThreadCpu.add(cpuByThread, Tally.cpuByThread());
                Rate loop = codeOnly(config, payloads, perRound);
                Rate parse = parseOnly(config, joined(config, payloads, perRound), roundEvents);
                table.round(base, job);
                work.round(base, loop);
                parseAlone.round(base, parse);
            }
            table.print("target: pipeline >= 0.5x baseline (events/s)");
            System.out.println("events counted by the sink in each pipeline run: " + COUNTED);
            System.out.println("CPU of the pipeline's rounds by thread, per event, from the first payload read to the "
                    + "last event counted:");
            System.out.print(ThreadCpu.describe(cpuByThread, roundEvents * rounds));
            work.print("the job's per-event work alone, in one thread without Flink");
            parseAlone.print(
                    "LogParser alone on the decoded, joined records: the parse operator's ceiling at parallelism 1");
        }
        System.exit(0);
    }

    /** Events per second of gunzip + readTree over the round's payloads, in this thread. */
    static Rate baseline(ObjectMapper mapper, List<byte[]> payloads, int count) throws Exception {
        long t = System.nanoTime();
        long cpu = CpuMeter.total();
        long events = gunzipAndReadTree(mapper, payloads, count);
        return Rate.of(events, (System.nanoTime() - t) / 1e9, (CpuMeter.total() - cpu) / 1e9);
    }

    /** The baseline's work: gunzips the first {@code count} payloads (cycled) and reads each with {@code readTree}. */
    static long gunzipAndReadTree(ObjectMapper mapper, List<byte[]> payloads, int count) throws Exception {
        long events = 0;
        for (int i = 0; i < count; i++) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(payloads.get(i % payloads.size())))) {
                JsonNode tree = mapper.readTree(in);
                events += tree.get("logEvents").size();
            }
        }
        return events;
    }

    /**
     * CloudWatch events per second through the job's own code in a loop in this thread: decode each payload, join its
     * multi-line events (one joiner per payload: one payload is one log stream) and parse every record.
     */
    static Rate codeOnly(JobConfig config, List<byte[]> payloads, int count) {
        CloudWatchDecoder decoder = new CloudWatchDecoder(config.kinesis.get().maxDecompressedBytes,
                config.failureMaxRawBytes);
        LogParser parser = new LogParser(config.parser);
        long events = 0;
        long parsed = 0;
        long t = System.nanoTime();
        long cpu = CpuMeter.total();
        for (int i = 0; i < count; i++) {
            DecodeResult result = decoder.decode(payloads.get(i % payloads.size()), 1_790_000_000_000L);
            MultilineJoiner joiner = new MultilineJoiner();
            List<RawLog> decoded = result.events();
            events += decoded.size();
            for (int e = 0; e < decoded.size(); e++) {
                for (RawLog record : joiner.offer(decoded.get(e))) {
                    parsed += parser.parse(record).kind == ParseOutcome.Kind.EVENT ? 1 : 0;
                }
            }
            for (RawLog record : joiner.flush()) {
                parsed += parser.parse(record).kind == ParseOutcome.Kind.EVENT ? 1 : 0;
            }
        }
        if (parsed == 0) {
            throw new IllegalStateException("nothing parsed");
        }
        return Rate.of(events, (System.nanoTime() - t) / 1e9, (CpuMeter.total() - cpu) / 1e9);
    }

    /**
     * The round's records as the parse operator receives them (decoded, multi-line events joined), decoded afresh
     * for each round so that the parser meets new strings, as in the job, and not ones it has hashed before.
     */
    static List<RawLog> joined(JobConfig config, List<byte[]> payloads, int count) {
        return joined(new CloudWatchDecoder(config.kinesis.get().maxDecompressedBytes, config.failureMaxRawBytes),
                payloads, count);
    }

    /** {@link #joined(JobConfig, List, int)} with the decoder given. */
    static List<RawLog> joined(CloudWatchDecoder decoder, List<byte[]> payloads, int count) {
        List<RawLog> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            MultilineJoiner joiner = new MultilineJoiner();
            for (RawLog record : decoder.decode(payloads.get(i % payloads.size()), 1_790_000_000_000L).events()) {
                records.addAll(joiner.offer(record));
            }
            records.addAll(joiner.flush());
        }
        return records;
    }

    /** CloudWatch events per second (input events, as the baseline counts them) through {@link LogParser} alone. */
    static Rate parseOnly(JobConfig config, List<RawLog> records, long events) {
        LogParser parser = new LogParser(config.parser);
        long parsed = 0;
        long t = System.nanoTime();
        long cpu = CpuMeter.total();
        for (RawLog record : records) {
            parsed += parser.parse(record).kind == ParseOutcome.Kind.EVENT ? 1 : 0;
        }
        if (parsed == 0) {
            throw new IllegalStateException("nothing parsed");
        }
        return Rate.of(events, (System.nanoTime() - t) / 1e9, (CpuMeter.total() - cpu) / 1e9);
    }

    /**
     * CloudWatch events per second, as the baseline counts them, from the first payload read to the last event
     * counted (a stack trace's frames arrive as one event, so fewer events reach the sink than were read).
     */
    static Rate pipeline(JobConfig config, int count, long inputEvents) throws Exception {
        Tally.reset();
        StreamExecutionEnvironment env = BenchCluster.environment(config.parallelism.orElse(1));
        PayloadSource source = new PayloadSource(SEED, DISTINCT, count, 0, config.kinesis.get(),
                config.failureMaxRawBytes);
        new LogflowJob(config, List.of(source), new CountingSinks()).execute(env);
        if (Tally.count() == 0) {
            throw new IllegalStateException("no event reached the sink");
        }
        COUNTED.add(Tally.count());
        return Rate.of(inputEvents, Tally.seconds(), Tally.cpuSeconds());
    }

    /** CloudWatch events in the round's payloads. */
    static long events(ObjectMapper mapper, List<byte[]> payloads, int count) throws Exception {
        long[] perPayload = new long[payloads.size()];
        for (int i = 0; i < payloads.size(); i++) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(payloads.get(i)))) {
                perPayload[i] = mapper.readTree(in).get("logEvents").size();
            }
        }
        long events = 0;
        for (int i = 0; i < count; i++) {
            events += perPayload[i % payloads.size()];
        }
        return events;
    }
}
