package io.logflow.workspace;

/**
 * One record of the registrations topic as the job sees it: a registration ({@link #workspace} set), a deletion (a
 * tombstone: {@link #workspace} null) or a record that could not be read ({@link #invalid} set; the job reports and
 * ignores it, keeping the workspace's previous registration). A Flink POJO.
 */
public class WorkspaceChange {
    /** The record's key: the workspace id. */
    public String id;
    public Workspace workspace;
    /** Why the record could not be read, else null. */
    public String invalid;

    public WorkspaceChange() {}

    public static WorkspaceChange put(Workspace workspace) {
        WorkspaceChange c = new WorkspaceChange();
        c.id = workspace.id;
        c.workspace = workspace;
        return c;
    }

    public static WorkspaceChange delete(String id) {
        WorkspaceChange c = new WorkspaceChange();
        c.id = id;
        return c;
    }

    public static WorkspaceChange invalid(String id, String reason) {
        WorkspaceChange c = new WorkspaceChange();
        c.id = id;
        c.invalid = reason;
        return c;
    }

    public boolean isDelete() {
        return invalid == null && workspace == null;
    }

    public boolean isPut() {
        return invalid == null && workspace != null;
    }

    @Override
    public String toString() {
        return invalid != null ? "invalid(" + id + ": " + invalid + ")" : workspace == null ? "delete(" + id + ")"
                : "put(" + workspace + ")";
    }
}
