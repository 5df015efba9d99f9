package io.logflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What a job that a test started in its MiniCluster went through, from the cluster's REST API: its task failures (the
 * exception history). A test that waits for a job's output says why it did not come, not only that it did not.
 */
public final class JobHistory {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private JobHistory() {}

    /**
     * Polls {@code done} until it holds; fails with the job's status and failures past {@code timeout}, or at once when
     * the job has ended.
     */
    public static void awaitUntil(MiniClusterExtension flink, JobClient job, Duration timeout, String what,
            Callable<Boolean> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.call()) {
            JobStatus status = job.getJobStatus().get();
            if (status.isGloballyTerminalState() || System.nanoTime() > deadline) {
                fail("%s: not within %s; job %s is %s; its checkpoints: %s; its failures: %s", what, timeout,
                        job.getJobID(), status, checkpointCounts(flink, job.getJobID()),
                        exceptions(flink, job.getJobID()));
            }
            Thread.sleep(200);
        }
    }

    /** The job's exception history is empty: no task failed, so nothing restarted. */
    public static void assertNoFailure(MiniClusterExtension flink, JobID job) throws Exception {
        String body = exceptions(flink, job);
        JsonNode entries = JSON.readTree(body).path("exceptionHistory").path("entries");
        assertThat(entries.isArray() ? entries.size() : 0).as("failures of job %s: %s", job, body).isZero();
    }

    /** The body of {@code /jobs/<id>/exceptions}: the job's task failures, newest first, with their stack traces. */
    public static String exceptions(MiniClusterExtension flink, JobID job) throws IOException, InterruptedException {
        return get(flink, "/jobs/" + job + "/exceptions");
    }

    /**
     * How many of the job's checkpoints completed, failed and are in progress: the transactional sinks commit only on a
     * completed one, so no rows and no completed checkpoint point at the checkpoints, not at the sources.
     */
    public static String checkpointCounts(MiniClusterExtension flink, JobID job) throws IOException,
            InterruptedException {
        return JSON.readTree(get(flink, "/jobs/" + job + "/checkpoints")).path("counts").toString();
    }

    private static String get(MiniClusterExtension flink, String path) throws IOException, InterruptedException {
        Configuration client = flink.getClientConfiguration();
        URI uri = URI.create("http://" + client.get(RestOptions.ADDRESS) + ":" + client.get(RestOptions.PORT) + path);
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
