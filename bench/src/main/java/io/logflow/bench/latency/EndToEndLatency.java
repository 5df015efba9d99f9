package io.logflow.bench.latency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logflow.app.JobConfig;
import io.logflow.app.LogflowJob;
import io.logflow.app.LogflowOptions;
import io.logflow.bench.Rounds;
import io.logflow.bench.pipeline.CloudWatchCorpus;
import io.logflow.bench.pipeline.PayloadSource;
import io.logflow.bench.servers.BenchCluster;
import io.logflow.bench.servers.BenchElasticsearch;
import io.logflow.bench.servers.BenchPostgres;
import io.logflow.config.Settings;
import io.logflow.sink.postgres.PostgresConfig;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.logflow.bench.Rounds.f;

/**
 * Issue 10, row 4: event → visible in Postgres and in Elasticsearch while the job ingests a steady rate of CloudWatch
 * events (default 10,000/s): the whole job as configured in production (decode, multi-line, parse, enrichment, the
 * Postgres and Elasticsearch sinks with their default batching and flush intervals, checkpoints), fed from memory
 * instead of Kinesis. An event's start is its {@code ingest_time} (stamped when its payload is decoded, in the
 * operator chained to the source).
 *
 * <ul>
 *   <li>Postgres: visible at its transaction's commit, read from {@code pg_xact_commit_timestamp(xmin)} for every
 *       row (the server runs with {@code track_commit_timestamp}).
 *   <li>Elasticsearch: visible when a search finds it. Every 200 ms a search counts documents per 100 ms of
 *       {@code ingestTime}; documents that newly appear in a bucket are counted as visible at that response. That
 *       over-states each latency by up to the poll interval plus half a bucket.
 * </ul>
 * Events ingested during the warm-up are left out.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.logflow.bench.latency.EndToEndLatency [events/s] [seconds]
 * [warm-up seconds] [parallelism] [stores] [--key value ...]}: stores is {@code postgres,elasticsearch} (default) or
 * one of them; the {@code --key value} pairs are job settings added to the harness's own (e.g.
 * {@code --kinesis.multiline-flush-timeout "2 s"}). The windowed metrics ({@code metrics.enabled}) are off: the
 * Table planner is not on the benchmark's classpath.
 */
public final class EndToEndLatency {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 44;
    private static final long POLL_MS = 200;

    private EndToEndLatency() {}

    public static void main(String[] args) throws Exception {
        double rate = args.length > 0 ? Double.parseDouble(args[0]) : 10_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        int parallelism = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int firstSetting = 4;
        String stores = "postgres,elasticsearch";
        if (args.length > 4 && !args[4].startsWith("--")) {
            stores = args[4];
            firstSetting = 5;
        }
        boolean toElasticsearch = stores.contains("elasticsearch");
        List<String> extraSettings = List.of(args).subList(Math.min(firstSetting, args.length), args.length);
        // The windowed metrics need Flink's table planner, which the bench classpath does not carry.
        String metrics = "false";
        long[] sample = new long[1];
        CloudWatchCorpus.payloads(SEED, 2_000, sample);
        double perPayload = sample[0] / 2_000.0;
        double payloadsPerSecond = rate / perPayload;
        long payloads = (long) (payloadsPerSecond * (seconds + warmUp));
        System.out.println(f("%,.0f events/s = %.1f payloads/s of %.1f events on average; %d s measured after %d s "
                + "warm-up; parallelism %d; into %s; settings %s", rate, payloadsPerSecond, perPayload, seconds,
                warmUp, parallelism, stores, extraSettings));

        try (BenchPostgres postgres = BenchPostgres.start();
                BenchElasticsearch es = toElasticsearch ? BenchElasticsearch.start() : null) {
            PostgresConfig db = postgres.database("latency", 1_000, Duration.ofSeconds(1));
            Path registrations = Path.of("target/bench-data/registrations.ndjson").toAbsolutePath();
            CloudWatchCorpus.writeRegistrations(registrations);
            List<String> settings = new ArrayList<>(List.of(
                "--postgres.url", db.url, "--postgres.user", db.user,
                "--workspaces.file", registrations.toUri().toString(),
                "--kinesis.stream-arn", "arn:aws:kinesis:us-east-1:000000000000:stream/bench",
                "--job.parallelism", Integer.toString(parallelism), "--job.name", "bench-latency",
                "--metrics.enabled", metrics));
            if (toElasticsearch) {
                settings.addAll(List.of("--elasticsearch.hosts", es.url(), "--elasticsearch.replicas", "0",
                        "--elasticsearch.index-pattern", "lat-logflow-<workspace>-<yyyy.MM.dd>"));
            }
            settings.addAll(extraSettings);
            JobConfig config = JobConfig.withoutSource(
                    Settings.load(settings.toArray(new String[0]), Map.of(), LogflowOptions.all()));
            // Every payload distinct for the whole run, so no event id repeats (a repeat would be skipped).
            PayloadSource source = new PayloadSource(SEED, (int) payloads, payloads, payloadsPerSecond,
                    config.kinesis.get(), config.failureMaxRawBytes);
            StreamExecutionEnvironment env = BenchCluster.environment(parallelism);
            LogflowJob job = new LogflowJob(config, List.of(source), LogflowJob.sinks(config));
            JobClient client = job.executeAsync(env);

            TreeMap<Long, Long> esLatencies = new TreeMap<>();
            Map<Long, Long> seen = new HashMap<>();
            long firstIngest = Long.MAX_VALUE;
            // The local environment's MiniCluster shuts down with the job, so ask the result, not the status.
            var result = client.getJobExecutionResult();
            while (!result.isDone()) {
                if (!toElasticsearch) {
                    Thread.sleep(POLL_MS);
                    continue;
                }
                long sent = System.currentTimeMillis();
                JsonNode buckets;
                try {
                    buckets = histogram(es, sent - 60_000);
                } catch (IOException e) { // shards of a new index not started yet: nothing visible there yet
                    Thread.sleep(POLL_MS);
                    continue;
                }
                long now = System.currentTimeMillis();
                for (JsonNode b : buckets) {
                    long key = b.get("key").asLong();
                    long count = b.get("doc_count").asLong();
                    long before = seen.getOrDefault(key, 0L);
                    if (count > before) {
                        firstIngest = Math.min(firstIngest, key);
                        if (key >= firstIngest + warmUp * 1000L) {
                            esLatencies.merge(now - (key + 50), count - before, Long::sum);
                        }
                        seen.put(key, count);
                    }
                }
                Thread.sleep(Math.max(0, POLL_MS - (System.currentTimeMillis() - sent)));
            }
            result.get();
            long measureFrom = firstIngest + warmUp * 1000L;

            System.out.println("| store | events measured | achieved events/s | p50 s | p90 s | p99 s | p99.9 s "
                    + "| max s |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
            if (!toElasticsearch) { // no search told when the first event came: take it from Postgres
                measureFrom = firstIngestInPostgres(db) + warmUp * 1000L;
            }
            if (stores.contains("postgres")) {
                postgresRow(db, measureFrom);
            }
            if (toElasticsearch) {
                esRow(esLatencies, seen, measureFrom);
            }
            System.out.println(f("load %s; target: p99 <= 2 s in both", Rounds.load()));
        }
        System.exit(0);
    }

    private static JsonNode histogram(BenchElasticsearch es, long from) throws Exception {
        String body = "{\"size\":0,\"query\":{\"range\":{\"ingestTime\":{\"gte\":" + from + "}}},"
                + "\"aggs\":{\"t\":{\"date_histogram\":{\"field\":\"ingestTime\",\"fixed_interval\":\"100ms\","
                + "\"min_doc_count\":1}}}}";
        JsonNode response = JSON.readTree(es.request("POST", "/lat-*/_search", body));
        JsonNode aggs = response.get("aggregations");
        return aggs == null ? JSON.createArrayNode() : aggs.get("t").get("buckets");
    }

    private static long firstIngestInPostgres(PostgresConfig db) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url, db.user, db.password);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT (extract(epoch from min(ingest_time)) * 1000)::bigint"
                        + " FROM log_events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void postgresRow(PostgresConfig db, long measureFrom) throws Exception {
        String latency = "extract(epoch from pg_xact_commit_timestamp(xmin) - ingest_time)";
        String sql = "SELECT count(*), count(*) / greatest(extract(epoch from max(ingest_time) - min(ingest_time)), 1),"
                + " percentile_cont(ARRAY[0.5, 0.9, 0.99, 0.999]) WITHIN GROUP (ORDER BY " + latency + "),"
                + " max(" + latency + ") FROM log_events WHERE ingest_time >= to_timestamp(" + measureFrom
                + " / 1000.0)";
        try (Connection c = DriverManager.getConnection(db.url, db.user, db.password);
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            Double[] p = (Double[]) rs.getArray(3).getArray();
            System.out.println(f("| Postgres | %,d | %,.0f | %.2f | %.2f | %.2f | %.2f | %.2f |", rs.getLong(1),
                    rs.getDouble(2), p[0], p[1], p[2], p[3], rs.getDouble(4)));
        }
    }

    private static void esRow(TreeMap<Long, Long> latencies, Map<Long, Long> buckets, long measureFrom) {
        long total = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Map.Entry<Long, Long> b : buckets.entrySet()) {
            if (b.getKey() >= measureFrom) {
                total += b.getValue();
                first = Math.min(first, b.getKey());
                last = Math.max(last, b.getKey());
            }
        }
        double achieved = total / Math.max(1.0, (last - first) / 1000.0);
        System.out.println(f("| Elasticsearch | %,d | %,.0f | %.2f | %.2f | %.2f | %.2f | %.2f |", total, achieved,
                q(latencies, 0.5), q(latencies, 0.9), q(latencies, 0.99), q(latencies, 0.999),
                latencies.isEmpty() ? Double.NaN : latencies.lastKey() / 1000.0));
    }

    private static double q(TreeMap<Long, Long> latencies, double quantile) {
        long total = latencies.values().stream().mapToLong(Long::longValue).sum();
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (Map.Entry<Long, Long> e : latencies.entrySet()) {
            seen += e.getValue();
            if (seen >= rank) {
                return e.getKey() / 1000.0;
            }
        }
        return Double.NaN;
    }
}
