package io.logflow.bench.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logflow.bench.Comparison;
import io.logflow.bench.CpuMeter;
import io.logflow.bench.Rate;
import io.logflow.bench.pipeline.Tally;
import io.logflow.bench.servers.BenchCluster;
import io.logflow.bench.servers.BenchElasticsearch;
import io.logflow.config.Settings;
import io.logflow.model.LogEvent;
import io.logflow.pipeline.RejectedDocuments;
import io.logflow.sink.elasticsearch.ElasticsearchConfig;
import io.logflow.sink.elasticsearch.IndexNames;
import io.logflow.sink.elasticsearch.ElasticsearchOptions;
import io.logflow.sink.elasticsearch.ElasticsearchSinks;
import io.logflow.sink.elasticsearch.EventDocuments;
import io.logflow.sink.elasticsearch.IndexTemplate;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static io.logflow.bench.Rounds.f;

/**
 * Issue 10, row 3: documents per second of the job's Elasticsearch sink (a MiniCluster at parallelism 1, a generator
 * source chained to the sink, the connector's bulk processor with the job's settings) against {@code _bulk} requests
 * of the same documents (same JSON, same index names and {@code _id}s, same batch size, one request at a time)
 * through the low-level REST client. Each run writes into indices of its own under the same index template.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.logflow.bench.sink.ElasticsearchSinkThroughput [rounds] [docs]
 * [bulk-max-actions]}
 */
public final class ElasticsearchSinkThroughput {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ElasticsearchSinkThroughput() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int docs = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int bulk = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        System.out.println(f("%,d documents a run, bulk of %d, parallelism 1", docs, bulk));
        try (BenchElasticsearch es = BenchElasticsearch.start()) {
            int run = 0;
            rawBulk(es, config(es, ++run, bulk), run, docs / 4, bulk); // warm-up
            sink(es, config(es, ++run, bulk), run, docs / 4);
            Comparison table = new Comparison("docs", "raw _bulk", "sink");
            for (int r = 0; r < rounds; r++) {
                Rate raw = rawBulk(es, config(es, ++run, bulk), run, docs, bulk);
                Rate sink = sink(es, config(es, ++run, bulk), run, docs);
                table.round(raw, sink);
            }
            table.print("target: sink >= 0.8x raw _bulk");
        }
        System.exit(0);
    }

    static ElasticsearchConfig config(BenchElasticsearch es, int run, int bulk) {
        Map<String, String> values = new HashMap<>();
        values.put(ElasticsearchOptions.HOSTS.key(), es.url());
        // The default layout: daily indices shared by all workspaces, documents routed by workspace.
        values.put(ElasticsearchOptions.INDEX_PATTERN.key(), "r" + run + "-logflow-shared-<yyyy.MM.dd>");
        values.put(ElasticsearchOptions.TEMPLATE_NAME.key(), "bench-logflow-events");
        values.put(ElasticsearchOptions.REPLICAS.key(), "0");
        values.put(ElasticsearchOptions.RETENTION.key(), "3650 d"); // keep the indices made before the clock starts
        values.put(ElasticsearchOptions.BULK_MAX_ACTIONS.key(), Integer.toString(bulk));
        return ElasticsearchConfig.from(Settings.of(values, ElasticsearchOptions.all()));
    }

    static Rate sink(BenchElasticsearch es, ElasticsearchConfig config, int run, int docs) throws Exception {
        createIndices(es, config, run, docs);
        Tally.reset();
        StreamExecutionEnvironment env = BenchCluster.environment(1);
        env.getConfig().disableGenericTypes();
        RejectedDocuments none = failures -> {
            throw new IllegalStateException(failures.size() + " documents rejected: " + failures.get(0).detail);
        };
        BenchEvents.stream(env, run, docs)
                .sinkTo(new Tally.EndMarking<>(ElasticsearchSinks.logEvents(config, none, 8192)))
                .uid(ElasticsearchSinks.UID).name(ElasticsearchSinks.NAME);
        env.execute("bench elasticsearch sink");
        Rate rate = Rate.of(docs, Tally.seconds(), Tally.cpuSeconds());
        finish(es, run, docs);
        return rate;
    }

    /** Bulk bodies of {@code bulk} documents, built and sent one after the other from this thread. */
    static Rate rawBulk(BenchElasticsearch es, ElasticsearchConfig config, int run, int docs, int bulk)
            throws Exception {
        createIndices(es, config, run, docs);
        LogEvent[] events = BenchEvents.events(run, docs);
        long t = System.nanoTime();
        long cpu = CpuMeter.total();
        ByteArrayOutputStream body = new ByteArrayOutputStream(1 << 20);
        int inBody = 0;
        for (int n = 0; n < docs; n++) {
            LogEvent e = events[n];
            String routing = e.workspaceId == null || e.workspaceId.isBlank() ? ""
                    : ",\"routing\":\"" + IndexNames.sanitise(e.workspaceId) + "\"";
            body.write(("{\"index\":{\"_index\":\"" + config.indexNames.index(e.workspaceId, e.timestamp)
                    + "\",\"_id\":\"" + e.eventId + "\"" + routing + "}}\n").getBytes(StandardCharsets.UTF_8));
            body.write(EventDocuments.toJson(e));
            body.write('\n');
            if (++inBody == bulk || n == docs - 1) {
                Request request = new Request("POST", "/_bulk");
                request.setEntity(new ByteArrayEntity(body.toByteArray(), ContentType.create("application/x-ndjson")));
                Response response = es.client().performRequest(request);
                try (InputStream in = response.getEntity().getContent()) {
                    JsonNode result = JSON.readTree(in);
                    if (result.get("errors").asBoolean()) {
                        throw new IllegalStateException("bulk errors: " + result.toString().substring(0, 500));
                    }
                }
                body.reset();
                inBody = 0;
            }
        }
        Rate rate = Rate.of(docs, (System.nanoTime() - t) / 1e9, (CpuMeter.total() - cpu) / 1e9);
        finish(es, run, docs);
        return rate;
    }

    /**
     * Installs the template and creates the run's indices (one per day, shared by the tenants) before the clock starts, for the
     * sink and the raw requests alike: creating 40 indices on a loaded single node can take longer than the writes.
     */
    private static void createIndices(BenchElasticsearch es, ElasticsearchConfig config, int run, int docs)
            throws Exception {
        IndexTemplate.install(config);
        java.util.Set<String> indices = new java.util.TreeSet<>();
        for (LogEvent e : BenchEvents.events(run, docs)) {
            indices.add(config.indexNames.index(e.workspaceId, e.timestamp));
        }
        for (String index : indices) {
            es.request("PUT", "/" + index, null);
        }
        es.request("GET", "/_cluster/health/r" + run + "-*?wait_for_status=yellow&timeout=300s", null);
    }

    /** Checks that every document is there, then drops the run's indices so the node stays small. */
    private static void finish(BenchElasticsearch es, int run, int docs) throws Exception {
        es.request("POST", "/r" + run + "-*/_refresh", null);
        long count = JSON.readTree(es.request("GET", "/r" + run + "-*/_count", null)).get("count").asLong();
        if (count != docs) {
            throw new IllegalStateException("run " + run + ": " + count + " documents, expected " + docs);
        }
        es.request("DELETE", "/r" + run + "-*", null);
    }
}
