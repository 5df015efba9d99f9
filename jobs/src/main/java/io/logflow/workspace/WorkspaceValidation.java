package io.logflow.workspace;

/**
 * A validation line that arrived through the pipeline for the workspace owning its routing key: the proof that marks
 * the workspace verified in Postgres. It carries the registration as the job knew it, so the row can be written even
 * before the registration writer has stored it. A Flink POJO.
 */
public class WorkspaceValidation {
    public String workspaceId;
    public String nonce;
    /** The log group the line arrived in (for an upload: the file's URI). */
    public String logGroup;
    public String routingKey;
    /** The event that carried the line. */
    public String eventId;
    public String sourceRef;
    /** Epoch millis at which logflow read the line. */
    public long verifiedAt;
    public Workspace workspace;

    public WorkspaceValidation() {}

    @Override
    public String toString() {
        return "WorkspaceValidation{" + workspaceId + " nonce=" + nonce + " in " + logGroup + '}';
    }
}
