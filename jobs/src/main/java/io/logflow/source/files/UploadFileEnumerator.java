package io.logflow.source.files;

import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists upload files recursively, one split per file, keeping only the files the {@link UploadFileFilter} accepts
 * (date range, horizon).
 *
 * <p>Hidden and temporary files and folders (names starting with {@code .} or {@code _}: {@code _SUCCESS} markers,
 * {@code .tmp} files of uploads in progress) are not read, but never silently: each one is logged at INFO and counted
 * ({@link #countSkippedIn}, the metric {@code uploadsSkippedHidden}) once, when a listing first shows it. To know
 * which are new, the hidden paths of the last listing are remembered; like the files, hidden files modified before the
 * horizon are left out, so that set stays about the size of one horizon's uploads.
 */
public class UploadFileEnumerator extends NonSplittingRecursiveEnumerator {
    private static final Logger LOG = LoggerFactory.getLogger(UploadFileEnumerator.class);
    /** Hidden paths named one by one in the log per listing; the rest are only counted. */
    private static final int LOGGED_PER_LISTING = 20;

    private final UploadFileFilter filter;
    private Set<String> hiddenBefore = new HashSet<>();
    private Set<String> hiddenNow = new HashSet<>();
    private Counter skippedHidden = new SimpleCounter();

    public UploadFileEnumerator(UploadFileFilter filter) {
        super(filter);
        this.filter = filter;
    }

    /** Where to count the hidden paths skipped (each once); the metric {@code uploadsSkippedHidden}. */
    public void countSkippedIn(Counter counter) {
        this.skippedHidden = counter;
    }

    @Override
    public Collection<FileSourceSplit> enumerateSplits(Path[] paths, int minDesiredSplits) throws IOException {
        hiddenNow = new HashSet<>();
        Collection<FileSourceSplit> splits = super.enumerateSplits(paths, minDesiredSplits);
        List<String> fresh = new ArrayList<>();
        for (String path : hiddenNow) {
            if (!hiddenBefore.contains(path)) {
                fresh.add(path);
            }
        }
        hiddenBefore = hiddenNow;
        if (!fresh.isEmpty()) {
            fresh.sort(null);
            for (String path : fresh.subList(0, Math.min(fresh.size(), LOGGED_PER_LISTING))) {
                LOG.info("Not reading {}: names starting with '.' or '_' are hidden or temporary files and folders",
                        path);
            }
            if (fresh.size() > LOGGED_PER_LISTING) {
                LOG.info("Not reading {} more hidden or temporary files and folders (names starting with '.' or '_')",
                        fresh.size() - LOGGED_PER_LISTING);
            }
            skippedHidden.inc(fresh.size());
        }
        return splits;
    }

    @Override
    protected void addSplitsForPath(FileStatus status, FileSystem fs, ArrayList<FileSourceSplit> target)
            throws IOException {
        if (!filter.test(status.getPath())) {
            if (status.isDir() || filter.withinHorizon(status.getModificationTime(), System.currentTimeMillis())) {
                hiddenNow.add(status.getPath().toString());
            }
            return;
        }
        super.addSplitsForPath(status, fs, target);
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
