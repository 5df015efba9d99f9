package io.logflow.pipeline;

import io.logflow.model.Failure;

import java.io.Serializable;
import java.util.List;

/**
 * Where the Elasticsearch sink puts documents Elasticsearch rejects for good (HTTP 400: mapping conflict, field
 * limit, unparsable value), as {@code SINK}/{@code es_rejected} failures.
 *
 * <p>{@link #record} runs on the bulk response path before the writer counts the documents as done, so a checkpoint
 * completes only after the failures are stored. It must store them durably (and idempotently: a replay records the
 * same failure ids again) or throw; throwing fails the bulk, and the job fails over and replays instead of losing
 * them. Rare by construction (see {@link EventDocuments}), so a connection per call is fine.
 */
public interface RejectedDocuments extends Serializable {
    void record(List<Failure> failures) throws Exception;

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
