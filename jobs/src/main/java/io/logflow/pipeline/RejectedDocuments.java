package io.logflow.pipeline;

import io.logflow.model.Failure;

import java.io.Serializable;
import java.util.List;

/**
 * Where a sink records what its store rejected for good, as {@code SINK} failures: Elasticsearch's {@code es_rejected}
 * documents. The dead-letter sinks provide it ({@link LogSinks#rejections}): {@code ingest_failures} and the Kafka
 * topic, the same places as the failure stream.
 *
 * <p>It is called, not streamed to: a Flink sink cannot emit records, and {@link #record} runs on the bulk response
 * path before the writer counts the documents as done, so a checkpoint completes only after the failures are stored.
 * It must store them durably (and idempotently: a replay records the same failure ids again) or throw; throwing
 * fails the bulk, and the job fails over and replays instead of losing them. Rejections are rare by construction, so
 * a connection per call is fine.
 */
public interface RejectedDocuments extends Serializable {
    void record(List<Failure> failures) throws Exception;

    /** Records nowhere: for sinks without a dead-letter store (tests, benchmarks). */
    RejectedDocuments NONE = failures -> {};

    /** Records into every one of {@code targets}, in order (e.g. Postgres, then the Kafka DLQ). */
    static RejectedDocuments all(RejectedDocuments... targets) {
        List<RejectedDocuments> list = List.of(targets);
        return new RejectedDocuments() {
            private static final long serialVersionUID = 1L;

            @Override
            public void record(List<Failure> failures) throws Exception {
                for (RejectedDocuments target : list) {
                    target.record(failures);
                }
            }
        };
    }
}
