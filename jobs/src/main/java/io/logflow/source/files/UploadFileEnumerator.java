package io.logflow.source.files;

import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;

import java.io.IOException;
import java.util.List;

/**
 * Lists upload files recursively, one split per file, keeping only the files the {@link UploadFileFilter} accepts
 * (date range, horizon).
 */
public class UploadFileEnumerator extends NonSplittingRecursiveEnumerator {
    private final UploadFileFilter filter;

    public UploadFileEnumerator(UploadFileFilter filter) {
        super(filter);
        this.filter = filter;
    }

    @Override
    protected void convertToSourceSplits(FileStatus file, FileSystem fs, List<FileSourceSplit> target)
            throws IOException {
        if (filter.acceptsFile(file.getPath())
                && filter.withinHorizon(file.getModificationTime(), System.currentTimeMillis())) {
            super.convertToSourceSplits(file, fs, target);
        }
    }
}
