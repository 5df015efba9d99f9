package io.logflow.app;

/** What the job needs before it starts is not there. Its message is one line; the exit code says which kind. */
public class StartupException extends RuntimeException {
    /** Something failed that is neither: a schema migration, say. */
    public static final int FAILED = 1;
    /** The configuration points at something wrong: a folder that is not there, a database not migrated. */
    public static final int CONFIGURATION = 2;
    /** The database cannot be reached now; trying again later may work. */
    public static final int UNREACHABLE = 3;

    private final int exitCode;

    public StartupException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
