package io.logflow.bench.broadcast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.JobID;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The few REST calls the harness needs: a vertex's operator counters, summed over its subtasks. */
final class FlinkRest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private final JobID job;

    FlinkRest(URI base, JobID job) {
        this.base = base;
        this.job = job;
    }

    /**
     * Waits until the counter {@code metric} of the vertex named {@code vertexPrefix...} is reported by all
     * {@code subtasks} and sums to {@code expected}, or until {@code timeout}; returns the last sum.
     */
    long awaitCounter(String vertexPrefix, String metric, int subtasks, long expected, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long sum = -1;
        long lastPrint = System.nanoTime();
        while (System.nanoTime() < deadline) {
            String vertex = vertexId(vertexPrefix);
            List<String> ids = new ArrayList<>();
            if (vertex != null) {
                for (JsonNode m : get("/jobs/" + job + "/vertices/" + vertex + "/metrics")) {
                    if (m.path("id").asText().endsWith("." + metric)) {
                        ids.add(m.path("id").asText());
                    }
                }
            }
            if (ids.size() == subtasks) {
                sum = 0;
                String query = URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8);
                for (JsonNode m : get("/jobs/" + job + "/vertices/" + vertex + "/metrics?get=" + query)) {
                    sum += Long.parseLong(m.path("value").asText("0"));
                }
                if (sum >= expected) {
                    return sum;
                }
            }
            if (System.nanoTime() - lastPrint > 30_000_000_000L) {
                System.out.printf("  ... %,d of %,d applied%n", Math.max(sum, 0), expected);
                lastPrint = System.nanoTime();
            }
            Thread.sleep(500);
        }
        return sum;
    }

    /** Waits until the vertex named {@code vertexPrefix...} has finished (a bounded source); false on timeout. */
    boolean awaitFinished(String vertexPrefix, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode v : get("/jobs/" + job).path("vertices")) {
                if (v.path("name").asText().startsWith(vertexPrefix) && v.path("status").asText().equals("FINISHED")) {
                    return true;
                }
            }
            Thread.sleep(200);
        }
        return false;
    }

    private String vertexId(String prefix) throws Exception {
        for (JsonNode v : get("/jobs/" + job).path("vertices")) {
            if (v.path("name").asText().startsWith(prefix) && v.path("status").asText().equals("RUNNING")) {
                return v.path("id").asText();
            }
        }
        return null;
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return MAPPER.readTree(response.body());
    }
}
