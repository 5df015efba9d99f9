package io.logflow.app;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.executiongraph.ErrorInfo;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.runtime.minicluster.RpcServiceSharing;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A Flink MiniCluster in this JVM, for a run without a Flink cluster (the demo; {@code run} outside {@code flink
 * run}). Like Flink's local environment it starts when the job is submitted, with as many slots as the job's highest
 * parallelism. Unlike it, it keeps the cluster at hand, so {@link #await} can say when the job restarts and why.
 */
public final class LocalCluster implements AutoCloseable {
    private static final String EXECUTOR = "logflow-local";
    private static final long POLL_MS = 200;

    private final Configuration conf;
    private volatile MiniCluster cluster;

    /** {@code conf} is the cluster's configuration; everything binds to 127.0.0.1, the REST port is free. */
    public LocalCluster(Configuration conf) {
        this.conf = new Configuration(conf);
        this.conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        this.conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        this.conf.set(TaskManagerOptions.HOST, "127.0.0.1");
        this.conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        if (!this.conf.contains(RestOptions.BIND_PORT)) {
            this.conf.set(RestOptions.BIND_PORT, "0");
        }
        this.conf.set(DeploymentOptions.TARGET, EXECUTOR);
        this.conf.set(DeploymentOptions.ATTACHED, true);
    }

    /** An environment whose jobs run on this cluster, with the parallelism of a local environment by default. */
    public StreamExecutionEnvironment environment() {
        PipelineExecutor executor = this::submit;
        PipelineExecutorFactory factory = new PipelineExecutorFactory() {
            @Override
            public String getName() {
                return EXECUTOR;
            }

            @Override
            public boolean isCompatibleWith(Configuration configuration) {
                return EXECUTOR.equals(configuration.get(DeploymentOptions.TARGET));
            }

            @Override
            public PipelineExecutor getExecutor(Configuration configuration) {
                return executor;
            }
        };
        PipelineExecutorServiceLoader loader = new PipelineExecutorServiceLoader() {
            @Override
            public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
                return factory;
            }

            @Override
            public Stream<String> getExecutorNames() {
                return Stream.of(EXECUTOR);
            }
        };
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(
                loader, conf, Thread.currentThread().getContextClassLoader());
        env.setParallelism(Runtime.getRuntime().availableProcessors());
        return env;
    }

    private CompletableFuture<JobClient> submit(Pipeline pipeline, Configuration configuration, ClassLoader loader)
            throws Exception {
        if (cluster != null) {
            throw new IllegalStateException("a LocalCluster runs one job");
        }
        JobGraph graph = PipelineExecutorUtils.getJobGraph(pipeline, configuration, loader);
        MiniCluster started = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(configuration)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(Math.max(1, graph.getMaximumParallelism()))
                .setRpcServiceSharing(RpcServiceSharing.SHARED)
                .build());
        started.start();
        cluster = started;
        return started.submitJob(graph).thenApply(submitted -> new MiniClusterJobClient(submitted.getJobID(),
                started, loader, MiniClusterJobClient.JobFinalizationBehavior.NOTHING));
    }

    /**
     * Waits for {@code job} to end. Each failure that leads to a restart is one line to {@code say}: which restart
     * it is and the root cause. {@code everySecond} runs about once a second meanwhile (progress).
     *
     * @throws JobFailedException when the job fails for good, with the number of restarts and the root cause
     */
    public JobExecutionResult await(JobClient job, RestartConfig restarts, Consumer<String> say, Runnable everySecond)
            throws InterruptedException {
        CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();
        long lastFailure = -1;
        int restartsSeen = 0;
        long nextTick = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (true) {
            try {
                return result.get(POLL_MS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                AccessExecutionGraph graph = graph(job.getJobID());
                int restarted = graph == null ? restartsSeen : Math.max(restartsSeen, attempts(graph));
                throw new JobFailedException("the job failed after " + restarted + (restarted == 1 ? " restart" : " restarts")
                        + ": " + Failures.rootCause(e.getCause() == null ? e : e.getCause()));
            } catch (TimeoutException running) {
                // still running
            }
            AccessExecutionGraph graph = graph(job.getJobID());
            ErrorInfo failure = graph == null ? null : graph.getFailureInfo();
            if (failure != null && failure.getTimestamp() != lastFailure && !graph.getState().isTerminalState()
                    && graph.getState() != JobStatus.FAILING) {
                lastFailure = failure.getTimestamp();
                // Failures of one attempt (two subtasks losing the database) are one restart: count attempts.
                int restart = restartFor(graph);
                if (restart > restartsSeen) {
                    restartsSeen = restart;
                    say.accept("the job failed and restarts (restart " + restart + " of at most "
                            + restarts.attempts + "): " + Failures.rootCause(failure.getException()));
                }
            }
            if (System.nanoTime() >= nextTick) {
                nextTick = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                everySecond.run();
            }
        }
    }

    /**
     * The restart the graph's latest failure leads to: the next attempt while a task of the failed one is still
     * failed or being cancelled; the current attempt once the tasks run again (the poll came after the restart).
     */
    private static int restartFor(AccessExecutionGraph graph) {
        for (AccessExecutionVertex vertex : graph.getAllExecutionVertices()) {
            ExecutionState state = vertex.getCurrentExecutionAttempt().getState();
            if (state == ExecutionState.FAILED || state == ExecutionState.CANCELING
                    || state == ExecutionState.CANCELED) {
                return attempts(graph) + 1;
            }
        }
        return Math.max(1, attempts(graph));
    }

    /** The highest attempt number of any task: how often the job has restarted so far. */
    private static int attempts(AccessExecutionGraph graph) {
        int max = 0;
        for (AccessExecutionVertex vertex : graph.getAllExecutionVertices()) {
            max = Math.max(max, vertex.getCurrentExecutionAttempt().getAttemptNumber());
        }
        return max;
    }

    private AccessExecutionGraph graph(JobID id) throws InterruptedException {
        MiniCluster current = cluster;
        if (current == null) {
            return null;
        }
        try {
            return current.getExecutionGraph(id).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null; // not known (yet) or the cluster is busy: look again at the next poll
        }
    }

    @Override
    public void close() throws Exception {
        MiniCluster current = cluster;
        if (current != null) {
            current.close();
        }
    }
}
