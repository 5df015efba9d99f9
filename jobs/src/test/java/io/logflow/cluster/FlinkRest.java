package io.logflow.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The parts of Flink's REST API an operator uses to run logflow on a session cluster: upload the jar, run it (from a
 * savepoint, with a parallelism), watch the job and its checkpoints, stop it with a savepoint, cancel it.
 */
public final class FlinkRest {
    public static final String ENTRY_CLASS = "io.logflow.app.Main";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    public FlinkRest(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public boolean isUp() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/overview")).timeout(Duration.ofSeconds(2))
                    .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public List<String> taskManagerIds() throws Exception {
        List<String> ids = new ArrayList<>();
        get("/taskmanagers").path("taskmanagers").forEach(tm -> ids.add(tm.path("id").asText()));
        return ids;
    }

    /** {@code POST /jars/upload}: returns the jar id to run it by. */
    public String uploadJar(Path jar) throws Exception {
        String boundary = "logflow-" + UUID.randomUUID();
        String head = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName() + "\"\r\n"
                + "Content-Type: application/x-java-archive\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/jars/upload"))
                .timeout(Duration.ofMinutes(2))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(
                        HttpRequest.BodyPublishers.ofString(head),
                        HttpRequest.BodyPublishers.ofFile(jar),
                        HttpRequest.BodyPublishers.ofString(tail)))
                .build();
        JsonNode answer = send(request);
        String file = answer.path("filename").asText();
        if (!"success".equals(answer.path("status").asText()) || file.isEmpty()) {
            throw new IllegalStateException("jar upload failed: " + answer);
        }
        return Path.of(file).getFileName().toString();
    }

    /**
     * {@code POST /jars/:id/run}: runs {@link #ENTRY_CLASS} with {@code args} (the JobManager calls its main), from
     * {@code savepoint} when not null. Returns the job id.
     */
    public String run(String jarId, List<String> args, String savepoint) throws Exception {
        ObjectNode body = MAPPER.createObjectNode().put("entryClass", ENTRY_CLASS);
        args.forEach(body.putArray("programArgsList")::add);
        if (savepoint != null) {
            body.put("savepointPath", savepoint).put("allowNonRestoredState", false);
        }
        JsonNode answer = post("/jars/" + jarId + "/run", body, Duration.ofMinutes(3));
        return answer.path("jobid").asText();
    }

    public JsonNode job(String jobId) throws Exception {
        return get("/jobs/" + jobId);
    }

    public String jobState(String jobId) throws Exception {
        return job(jobId).path("state").asText();
    }

    /** Waits until the job and every task of it run. */
    public void awaitAllTasksRunning(String jobId, Duration timeout) throws Exception {
        await("all tasks of " + jobId + " running", timeout, () -> {
            JsonNode job = job(jobId);
            if (List.of("FAILED", "CANCELED", "FINISHED").contains(job.path("state").asText())) {
                throw new IllegalStateException("job " + jobId + " is " + job.path("state").asText() + ": "
                        + exceptions(jobId));
            }
            if (!"RUNNING".equals(job.path("state").asText())) {
                return false;
            }
            for (JsonNode vertex : job.path("vertices")) {
                if (!"RUNNING".equals(vertex.path("status").asText())) {
                    return false;
                }
            }
            return true;
        });
    }

    /** The parallelism of each vertex of the job, by vertex name. */
    public Map<String, Integer> vertexParallelisms(String jobId) throws Exception {
        Map<String, Integer> out = new LinkedHashMap<>();
        job(jobId).path("vertices").forEach(v -> out.put(v.path("name").asText(), v.path("parallelism").asInt()));
        return out;
    }

    /** Resource ids of the TaskManagers running any task of the job. */
    public List<String> taskManagersOf(String jobId) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode vertex : job(jobId).path("vertices")) {
            for (JsonNode tm : get("/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/taskmanagers")
                    .path("taskmanagers")) {
                String id = tm.path("taskmanager-id").asText();
                if (!out.contains(id)) {
                    out.add(id);
                }
            }
        }
        return out;
    }

    /** {@code GET /jobs/:id/checkpoints}: counts, the latest completed and what the job restored from. */
    public JsonNode checkpoints(String jobId) throws Exception {
        return get("/jobs/" + jobId + "/checkpoints");
    }

    public long completedCheckpoints(String jobId) throws Exception {
        return checkpoints(jobId).path("counts").path("completed").asLong();
    }

    /** The root exception and the job's exception history, as text. */
    public String exceptions(String jobId) throws Exception {
        return get("/jobs/" + jobId + "/exceptions").toString();
    }

    /**
     * {@code POST /jobs/:id/stop}: triggers a stop-with-savepoint into {@code directory} and returns at once with the
     * trigger's id; {@link #awaitSavepoint} waits for it.
     */
    public String triggerStop(String jobId, String directory) throws Exception {
        ObjectNode body = MAPPER.createObjectNode().put("targetDirectory", directory).put("drain", false);
        return post("/jobs/" + jobId + "/stop", body, Duration.ofSeconds(30)).path("request-id").asText();
    }

    /** Waits for a savepoint triggered by {@link #triggerStop} and for the job to finish; returns its location. */
    public String awaitSavepoint(String jobId, String triggerId, Duration timeout) throws Exception {
        String[] location = new String[1];
        await("savepoint of " + jobId, timeout, () -> {
            JsonNode status = get("/jobs/" + jobId + "/savepoints/" + triggerId);
            if (!"COMPLETED".equals(status.path("status").path("id").asText())) {
                return false;
            }
            JsonNode operation = status.path("operation");
            if (operation.has("failure-cause")) {
                throw new IllegalStateException("stop-with-savepoint failed: " + operation.path("failure-cause"));
            }
            location[0] = operation.path("location").asText();
            return true;
        });
        await("job " + jobId + " finished after its savepoint", timeout, () -> "FINISHED".equals(jobState(jobId)));
        return location[0];
    }

    /** {@code PATCH /jobs/:id?mode=cancel}, then waits until it is CANCELED. */
    public void cancel(String jobId) throws Exception {
        String state = jobState(jobId);
        if (List.of("FAILED", "CANCELED", "FINISHED").contains(state)) {
            return;
        }
        send(HttpRequest.newBuilder(URI.create(baseUrl + "/jobs/" + jobId + "?mode=cancel"))
                .timeout(Duration.ofSeconds(30)).method("PATCH", HttpRequest.BodyPublishers.noBody()).build());
        await("job " + jobId + " canceled", Duration.ofSeconds(60),
                () -> List.of("CANCELED", "FAILED", "FINISHED").contains(jobState(jobId)));
    }

    public JsonNode get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    private JsonNode post(String path, JsonNode body, Duration timeout) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    private JsonNode send(HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " → "
                    + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(response.body());
    }

    /** A condition polled until it holds. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    public static void await(String what, Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(250);
        }
    }
}
