package io.logflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.http.HttpHost;
import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real Elasticsearch 7.10.2 for the tests: one in-JVM single-node cluster (codelibs elasticsearch-cluster-runner)
 * on 127.0.0.1, data under {@code target/test-elasticsearch}. Started once per test JVM by the first class that
 * registers this extension; a shutdown hook closes it.
 *
 * <p>The runner would replace the JVM's log4j configuration with Elasticsearch's own; it is told not to, so the node
 * logs through the tests' {@code log4j2-test.properties} (warnings on the console, the rest in target/test.log) and
 * every other test keeps its logging.
 *
 * <p>The node lives as long as the JVM: tests keep apart by index and template names ({@link #uniquePrefix}).
 */
public final class ElasticsearchExtension implements BeforeAllCallback {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private static ElasticsearchClusterRunner runner;
    private static String url;
    private static RestClient client;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    private static synchronized void start() throws Exception {
        if (runner != null) {
            return;
        }
        long started = System.nanoTime();
        // Elasticsearch 7.10 asserts a cgroup v1 file format (OsProbe) that this machine's cgroup v2 does not have;
        // surefire runs with -ea, so switch assertions off for Elasticsearch's classes before any is loaded.
        ElasticsearchExtension.class.getClassLoader().setPackageAssertionStatus("org.elasticsearch", false);
        // Netty's processor count is a JVM-wide setting another library may have made already.
        System.setProperty("es.set.netty.runtime.available.processors", "false");
        Path base = new File("target/test-elasticsearch").getAbsoluteFile().toPath();
        deleteRecursively(base);
        int httpPort = freePort();
        int transportPort = freePort();
        ElasticsearchClusterRunner node = new ElasticsearchClusterRunner();
        node.setMaxHttpPort(-1); // take baseHttpPort + 1 as it is (the port was free a moment ago)
        node.onBuild((number, settings) -> {
            settings.remove("cluster.initial_master_nodes");
            settings.remove("discovery.seed_hosts");
            settings.putList("discovery.seed_hosts");
            settings.put("discovery.type", "single-node");
            settings.put("network.host", "127.0.0.1");
            settings.put("http.port", httpPort);
            settings.put("transport.port", transportPort);
            // A nearly full build disk must not make the test indices read-only.
            settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
            settings.put("action.auto_create_index", true);
        }).build(ElasticsearchClusterRunner.newConfigs()
                .numOfNode(1)
                .baseHttpPort(httpPort - 1) // the runner adds the node number (1)
                .clusterName("logflow-test")
                .basePath(base.toString())
                .disableESLogger());
        node.ensureYellow();
        runner = node;
        url = "http://127.0.0.1:" + httpPort;
        client = RestClient.builder(HttpHost.create(url)).build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                client.close();
                node.close();
            } catch (Exception ignored) {
                // the JVM is exiting
            }
        }));
        System.out.printf("Elasticsearch %s started in %d ms%n", url, (System.nanoTime() - started) / 1_000_000);
    }

    /** {@code http://127.0.0.1:PORT}, for {@code elasticsearch.hosts}. */
    public static String url() {
        return url;
    }

    /** A low-level REST client of the node, open until the JVM exits. */
    public static RestClient client() {
        return client;
    }

    /** An index-name prefix no other test uses, e.g. {@code t3-}. */
    public static String uniquePrefix() {
        return "t" + PREFIXES.incrementAndGet() + "-";
    }

    /** Runs a request with an optional JSON body and returns the response JSON. */
    public static JsonNode request(String method, String endpoint, String jsonBody) throws IOException {
        Request request = new Request(method, endpoint);
        if (jsonBody != null) {
            request.setJsonEntity(jsonBody);
        }
        Response response = client.performRequest(request);
        try (InputStream in = response.getEntity().getContent()) {
            return JSON.readTree(in);
        }
    }

    /** Makes every indexed document searchable. */
    public static void refresh() throws IOException {
        request("POST", "/_refresh", null);
    }

    /** Hits of a search body in {@code indices} (exact, not capped at 10 000). */
    public static long count(String indices, String queryJson) throws IOException {
        return request("POST", "/" + indices + "/_count", queryJson).get("count").asLong();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
