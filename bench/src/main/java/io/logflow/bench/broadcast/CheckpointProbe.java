package io.logflow.bench.broadcast;

import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CheckpointStatsStatus;
import org.apache.flink.runtime.checkpoint.SubtaskStateStats;
import org.apache.flink.runtime.checkpoint.TaskStateStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;

import java.util.Locale;

/** Triggers a checkpoint of a running job and reads Flink's statistics of it (what the web UI shows). */
final class CheckpointProbe {
    private final MiniCluster cluster;
    private final JobID job;
    private final String vertexName;

    CheckpointProbe(MiniCluster cluster, JobID job, String vertexName) {
        this.cluster = cluster;
        this.job = job;
        this.vertexName = vertexName;
    }

    /** One completed checkpoint: end to end, its size, and the enrichment vertex's slowest subtask. */
    static final class Result {
        final long id;
        final long endToEndMillis;
        final long checkpointedBytes;
        final long enrichBytes;
        final long enrichSyncMillis;
        final long enrichAsyncMillis;
        final long enrichAlignmentMillis;

        Result(long id, long endToEndMillis, long checkpointedBytes, long enrichBytes, long enrichSyncMillis,
                long enrichAsyncMillis, long enrichAlignmentMillis) {
            this.id = id;
            this.endToEndMillis = endToEndMillis;
            this.checkpointedBytes = checkpointedBytes;
            this.enrichBytes = enrichBytes;
            this.enrichSyncMillis = enrichSyncMillis;
            this.enrichAsyncMillis = enrichAsyncMillis;
            this.enrichAlignmentMillis = enrichAlignmentMillis;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "checkpoint %d: %d ms end to end, %.2f MB (enrichment %.2f MB; its "
                    + "slowest subtask: sync %d ms, async %d ms, alignment %d ms)", id, endToEndMillis,
                    checkpointedBytes / 1e6, enrichBytes / 1e6, enrichSyncMillis, enrichAsyncMillis,
                    enrichAlignmentMillis);
        }
    }

    Result trigger() throws Exception {
        long id = cluster.triggerCheckpoint(job, CheckpointType.FULL).get();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            AccessExecutionGraph graph = cluster.getExecutionGraph(job).get();
            AbstractCheckpointStats stats = graph.getCheckpointStatsSnapshot().getHistory().getCheckpointById(id);
            if (stats != null && stats.getStatus() == CheckpointStatsStatus.COMPLETED) {
                return result(graph, stats);
            }
            if (stats != null && stats.getStatus() == CheckpointStatsStatus.FAILED || System.nanoTime() > deadline) {
                throw new IllegalStateException("checkpoint " + id + " did not complete: " + stats);
            }
            Thread.sleep(50);
        }
    }

    private Result result(AccessExecutionGraph graph, AbstractCheckpointStats stats) {
        long sync = 0;
        long async = 0;
        long alignment = 0;
        long bytes = 0;
        for (AccessExecutionJobVertex vertex : graph.getAllVertices().values()) {
            if (!vertex.getName().startsWith(vertexName)) {
                continue;
            }
            TaskStateStats task = stats.getTaskStateStats(vertex.getJobVertexId());
            bytes += task.getCheckpointedSize();
            for (SubtaskStateStats s : task.getSubtaskStats()) {
                if (s != null) {
                    sync = Math.max(sync, s.getSyncCheckpointDuration());
                    async = Math.max(async, s.getAsyncCheckpointDuration());
                    alignment = Math.max(alignment, s.getAlignmentDuration());
                }
            }
        }
        return new Result(stats.getCheckpointId(), stats.getEndToEndDuration(), stats.getCheckpointedSize(), bytes,
                sync, async, alignment);
    }
}
