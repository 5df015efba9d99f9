package io.logflow.pipeline;

import java.io.Serializable;
import java.util.Collection;

/** Told about files the watching source found, before any reader opens them (the PENDING uploads). */
@FunctionalInterface
public interface UploadDiscoveryListener extends Serializable {
    /** A file as the source found it: its URI, its version (the same as its records carry) and its size. */
    record DiscoveredFile(String path, String version, long bytes) implements Serializable {}

    /** Must not throw: a failure here is reported and the source goes on. */
    void discovered(Collection<DiscoveredFile> files);

    UploadDiscoveryListener NONE = files -> {};
}
