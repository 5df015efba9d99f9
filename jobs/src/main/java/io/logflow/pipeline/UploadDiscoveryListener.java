package io.logflow.pipeline;

import org.apache.flink.connector.file.src.FileSourceSplit;

import java.io.Serializable;
import java.util.Collection;

/** Told about files the watching source found, before any reader opens them (the PENDING uploads). */
@FunctionalInterface
public interface UploadDiscoveryListener extends Serializable {
    /** Must not throw: a failure here is reported and the source goes on. */
    void discovered(Collection<FileSourceSplit> files);

    UploadDiscoveryListener NONE = files -> {};
}
