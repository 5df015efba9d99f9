package io.logflow.source.files;

import io.logflow.model.RawLog;
import io.logflow.pipeline.UploadDiscoveryListener;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.connector.file.src.AbstractFileSource;
import org.apache.flink.connector.file.src.ContinuousEnumerationSettings;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.FileSourceSplitSerializer;
import org.apache.flink.connector.file.src.PendingSplitsCheckpoint;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
import org.apache.flink.connector.file.src.impl.StaticFileSplitEnumerator;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.FlinkRuntimeException;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Flink's file source with one change for continuous watching: its enumerator forgets files that left the listing
 * (see {@link ProcessedPaths}), so its state stays bounded for a bucket that grows forever. Reading a folder once
 * (batch, backfill) is Flink's own static enumeration.
 */
public final class UploadFileSource extends AbstractFileSource<RawLog, FileSourceSplit> {
    private static final long serialVersionUID = 1L;

    private final Path root;
    private final UploadDiscoveryListener listener;

    public UploadFileSource(Path root, FileEnumerator.Provider enumerator, LogFileFormat format,
            @Nullable Duration monitorInterval, UploadDiscoveryListener listener) {
        super(new Path[] {root}, enumerator, FileSource.DEFAULT_SPLIT_ASSIGNER, format,
                monitorInterval == null ? null : new ContinuousEnumerationSettings(monitorInterval));
        this.root = root;
        this.listener = listener;
    }

    @Override
    public SimpleVersionedSerializer<FileSourceSplit> getSplitSerializer() {
        return FileSourceSplitSerializer.INSTANCE;
    }

    @Override
    public SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> createEnumerator(
            SplitEnumeratorContext<FileSourceSplit> context) {
        if (getBoundedness() == Boundedness.BOUNDED) {
            // Flink's own static enumeration, with the hidden files it skips counted
            FileEnumerator enumerator = getEnumeratorFactory().create();
            countSkippedHidden(enumerator, context);
            Collection<FileSourceSplit> splits;
            try {
                splits = enumerator.enumerateSplits(new Path[] {root}, context.currentParallelism());
            } catch (IOException e) {
                throw new FlinkRuntimeException("Could not list the files below " + root, e);
            }
            return new StaticFileSplitEnumerator(context, getAssignerFactory().create(splits));
        }
        return watching(context, List.of(), List.of());
    }

    /** Counts the hidden and temporary paths the listing skips in the metric {@code uploadsSkippedHidden}. */
    static void countSkippedHidden(FileEnumerator enumerator, SplitEnumeratorContext<FileSourceSplit> context) {
        if (enumerator instanceof UploadFileEnumerator) {
            ((UploadFileEnumerator) enumerator).countSkippedIn(context.metricGroup().counter("uploadsSkippedHidden"));
        }
    }

    @Override
    public SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> restoreEnumerator(
            SplitEnumeratorContext<FileSourceSplit> context, PendingSplitsCheckpoint<FileSourceSplit> checkpoint) {
        if (getBoundedness() == Boundedness.BOUNDED) {
            return super.restoreEnumerator(context, checkpoint);
        }
        return watching(context, checkpoint.getSplits(), checkpoint.getAlreadyProcessedPaths());
    }

    private SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> watching(
            SplitEnumeratorContext<FileSourceSplit> context, Collection<FileSourceSplit> pending,
            Collection<Path> processed) {
        return new HorizonFileSplitEnumerator(context, getEnumeratorFactory().create(),
                getAssignerFactory().create(pending), new Path[] {root}, processed,
                getContinuousEnumerationSettings().getDiscoveryInterval().toMillis(), listener);
    }
}
