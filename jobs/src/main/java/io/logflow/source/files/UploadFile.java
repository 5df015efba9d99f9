package io.logflow.source.files;

import org.apache.flink.connector.file.src.FileSourceSplit;

/** What the source knows of a file before reading it: where it is, which version, and what its path says. */
public final class UploadFile {
    final String path;
    final String version;
    final String routingKey;
    final String service;
    /** Midnight UTC of the date in the path, or 0: the time of lines that carry none. */
    final long pathDate;

    /**
     * The file's version: its last-modified time and size. Flink's file systems do not expose S3's ETag or version id;
     * an object is immutable, so a re-upload under the same key changes one of the two.
     */
    public static String version(FileSourceSplit split) {
        return split.fileModificationTime() + "-" + split.fileSize();
    }

    UploadFile(String path, String version, String routingKey, String service, long pathDate) {
        this.path = path;
        this.version = version;
        this.routingKey = routingKey;
        this.service = service;
        this.pathDate = pathDate;
    }
}
