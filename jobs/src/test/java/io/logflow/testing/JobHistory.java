package io.logflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.logflow.cluster.FlinkRest;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;

import java.time.Duration;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What a job that a test started in its MiniCluster went through, from the cluster's REST API ({@link FlinkRest}):
 * its task failures (the exception history) and checkpoints. A test that waits for a job's output says why it did
 * not come, not only that it did not.
 */
public final class JobHistory {
    private JobHistory() {}

    /**
     * Polls {@code done} until it holds; fails with the job's status, checkpoint counts and failures past
     * {@code timeout}, or at once when the job has ended. The transactional sinks commit only on a completed
     * checkpoint, so no rows and no completed checkpoint point at checkpointing, not at the sources.
     */
    public static void awaitUntil(MiniClusterExtension flink, JobClient job, Duration timeout, String what,
            Callable<Boolean> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.call()) {
            JobStatus status = job.getJobStatus().get();
            if (status.isGloballyTerminalState() || System.nanoTime() > deadline) {
                FlinkRest rest = rest(flink);
                String id = job.getJobID().toString();
                fail("%s: not within %s; job %s is %s; its checkpoints: %s; its failures: %s", what, timeout, id,
                        status, rest.checkpoints(id).path("counts"), rest.exceptions(id));
            }
            Thread.sleep(200);
        }
    }

    /** The job's exception history is empty: no task failed, so nothing restarted. */
    public static void assertNoFailure(MiniClusterExtension flink, JobID job) throws Exception {
        JsonNode exceptions = rest(flink).get("/jobs/" + job + "/exceptions");
        JsonNode entries = exceptions.path("exceptionHistory").path("entries");
        assertThat(entries.isArray() ? entries.size() : 0).as("failures of job %s: %s", job, exceptions).isZero();
    }

    private static FlinkRest rest(MiniClusterExtension flink) {
        Configuration client = flink.getClientConfiguration();
        return new FlinkRest("http://" + client.get(RestOptions.ADDRESS) + ":" + client.get(RestOptions.PORT));
    }
}
