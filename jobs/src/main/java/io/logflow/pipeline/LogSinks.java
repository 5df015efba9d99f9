package io.logflow.pipeline;

import io.logflow.model.Failure;
import io.logflow.model.LogEvent;
import io.logflow.model.UploadStatus;
import io.logflow.workspace.WorkspaceChange;
import io.logflow.workspace.WorkspaceValidation;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Where every result of the job goes: the events, the failures of every stage, upload progress, the workspaces table,
 * the tables of the windowed metrics, and (called, not streamed) the dead letters a sink's store rejects. The topology writes through this port only, so a test can hand the job
 * collecting sinks and run it without any store, and each store's writers stay in its own package.
 */
public interface LogSinks {
    void events(DataStream<LogEvent> events);

    void failures(DataStream<Failure> failures);

    void uploads(DataStream<UploadStatus> uploads);

    /** The templates of the events' messages as they are founded and change ({@code log_templates}). */
    void templates(DataStream<TemplateReport> reports);

    /** Registrations as they change, and the validation lines that verify a workspace. */
    void workspaces(DataStream<WorkspaceChange> registrations, DataStream<WorkspaceValidation> validations);

    /**
     * The connector options, as Flink SQL {@code 'key' = 'value'} pairs, of {@code table}, one of the tables the
     * windowed metrics are inserted into ({@code ${sink:<table>}} in {@code sql/flink/metrics.sql}).
     */
    String metricsTableOptions(String table);

    /** Where a sink records what its store rejected for good: the dead-letter stores of this set of sinks. */
    RejectedDocuments rejections();
}
