package io.logflow.bench.servers;

import org.apache.http.HttpHost;
import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.ResponseException;
import org.apache.http.util.EntityUtils;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The tests' Elasticsearch 7.10.2: one in-JVM single-node cluster (codelibs cluster runner) on 127.0.0.1 with the
 * settings of the jobs module's ElasticsearchExtension, data under {@code target/bench-elasticsearch}.
 */
public final class BenchElasticsearch implements AutoCloseable {
    private final ElasticsearchClusterRunner runner;
    private final String url;
    private final RestClient client;

    private BenchElasticsearch(ElasticsearchClusterRunner runner, String url) {
        this.runner = runner;
        this.url = url;
        // A loaded shared machine can take more than the default 30 s to answer one bulk.
        this.client = RestClient.builder(HttpHost.create(url))
                .setRequestConfigCallback(c -> c.setSocketTimeout(300_000).setConnectTimeout(30_000))
                .build();
    }

    public static BenchElasticsearch start() throws IOException {
        // Elasticsearch 7.10 asserts a cgroup v1 file format this machine's cgroup v2 lacks.
        BenchElasticsearch.class.getClassLoader().setPackageAssertionStatus("org.elasticsearch", false);
        System.setProperty("es.set.netty.runtime.available.processors", "false");
        Path base = new File("target/bench-elasticsearch").getAbsoluteFile().toPath();
        if (Files.exists(base)) {
            try (Stream<Path> paths = Files.walk(base)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        int httpPort = freePort();
        int transportPort = freePort();
        ElasticsearchClusterRunner node = new ElasticsearchClusterRunner();
        node.setMaxHttpPort(-1);
        node.onBuild((number, settings) -> {
            settings.remove("cluster.initial_master_nodes");
            settings.remove("discovery.seed_hosts");
            settings.putList("discovery.seed_hosts");
            settings.put("discovery.type", "single-node");
            settings.put("network.host", "127.0.0.1");
            settings.put("http.port", httpPort);
            settings.put("transport.port", transportPort);
            settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
            settings.put("action.auto_create_index", true);
        }).build(ElasticsearchClusterRunner.newConfigs()
                .numOfNode(1)
                .baseHttpPort(httpPort - 1)
                .clusterName("logflow-bench")
                .basePath(base.toString())
                .disableESLogger());
        node.ensureYellow();
        return new BenchElasticsearch(node, "http://127.0.0.1:" + httpPort);
    }

    public String url() {
        return url;
    }

    public RestClient client() {
        return client;
    }

    /** Runs a request and returns the response body. */
    public String request(String method, String endpoint, String body) throws IOException {
        Request request = new Request(method, endpoint);
        if (body != null) {
            request.setJsonEntity(body);
        }
        try {
            Response response = client.performRequest(request);
            return response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity());
        } catch (ResponseException e) {
            throw new IOException(method + " " + endpoint + ": " + e.getMessage(), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
        runner.close();
    }
}
