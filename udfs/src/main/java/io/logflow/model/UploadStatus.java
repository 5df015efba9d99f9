package io.logflow.model;

/**
 * Progress of one uploaded file (one version of it), written to the Postgres {@code uploads} table. A Flink POJO.
 *
 * <p>When a file is DONE or FAILED, {@code lines = events + failures + skipped}: every record read from it is
 * accounted for.
 */
public class UploadStatus {
    public static final String PROCESSING = "PROCESSING";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";

    public String path;
    public String version;
    public String status;
    public long bytes;
    /** Records read from the file: lines, JSON array elements, CloudWatch events, and problems. */
    public long lines;
    public long events;
    public long failures;
    public long skipped;
    /** Why the file FAILED (reading stopped early), else null. */
    public String error;
    /** Epoch millis of this status; a later status of the same file wins. */
    public long time;

    public UploadStatus() {}

    public static UploadStatus processing(String path, String version, long bytes, long time) {
        UploadStatus s = new UploadStatus();
        s.path = path;
        s.version = version;
        s.status = PROCESSING;
        s.bytes = bytes;
        s.time = time;
        return s;
    }

    @Override
    public String toString() {
        return "UploadStatus{" + path + "@" + version + " " + status + " lines=" + lines + " events=" + events
                + " failures=" + failures + " skipped=" + skipped + (error != null ? " error=" + error : "") + '}';
    }
}
