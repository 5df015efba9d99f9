package io.logflow.workspace;

/** Whether a workspace receives events. */
public enum WorkspaceStatus {
    /** Its log groups and upload prefixes route events to it. */
    ACTIVE,
    /** Registered but claims nothing: its events are treated as those of an unknown workspace. */
    SUSPENDED
}
