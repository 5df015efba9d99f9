package io.logflow.source.files;

import java.io.Serializable;

/** Bounds on what one uploaded file may cost; each breach becomes a failure with its own reason. */
public final class UploadLimits implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Bytes all decompression layers of one file may produce together (a zip or gzip bomb stops here). */
    public final long maxDecompressedBytes;
    /** Entries of one archive; the rest of the archive is skipped. */
    public final int maxEntries;
    /** Layers of compression and archives inside each other (a .tar.gz inside a .zip is three). */
    public final int maxDepth;
    /** Longest line; a longer one becomes a failure and reading goes on with the next line. */
    public final int maxLineBytes;

    public UploadLimits(long maxDecompressedBytes, int maxEntries, int maxDepth, int maxLineBytes) {
        this.maxDecompressedBytes = maxDecompressedBytes;
        this.maxEntries = maxEntries;
        this.maxDepth = maxDepth;
        this.maxLineBytes = maxLineBytes;
    }
}
