package io.logflow.source.files;

import io.logflow.pipeline.UploadDiscoveryListener.DiscoveredFile;
import io.logflow.pipeline.UploadDiscoveryListener;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.PendingSplitsCheckpoint;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.annotation.Nullable;

/**
 * Watches the upload folder: lists it every interval (the listing keeps only files inside the horizon), hands each new
 * file to a reader that asks for work (after telling the {@link UploadDiscoveryListener}), and remembers handed-out
 * files in {@link ProcessedPaths}, which stays bounded.
 */
final class HorizonFileSplitEnumerator
        implements SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> {
    private static final Logger LOG = LoggerFactory.getLogger(HorizonFileSplitEnumerator.class);

    private final SplitEnumeratorContext<FileSourceSplit> context;
    private final FileEnumerator enumerator;
    private final FileSplitAssigner assigner;
    private final Path[] paths;
    private final long intervalMs;
    private final ProcessedPaths processed;
    private final UploadDiscoveryListener listener;
    private final Map<Integer, String> readersAwaitingSplit = new LinkedHashMap<>();

    HorizonFileSplitEnumerator(SplitEnumeratorContext<FileSourceSplit> context, FileEnumerator enumerator,
            FileSplitAssigner assigner, Path[] paths, Collection<Path> alreadyProcessed, long intervalMs,
            UploadDiscoveryListener listener) {
        this.context = context;
        this.enumerator = enumerator;
        this.assigner = assigner;
        this.paths = paths;
        this.intervalMs = intervalMs;
        this.processed = new ProcessedPaths(alreadyProcessed);
        this.listener = listener;
        context.metricGroup().gauge("uploadsRemembered", processed::size);
        UploadFileSource.countSkippedHidden(enumerator, context);
    }

    @Override
    public void start() {
        context.callAsync(() -> enumerator.enumerateSplits(paths, 1), this::onListing, intervalMs, intervalMs);
    }

    private void onListing(@Nullable Collection<FileSourceSplit> listed, @Nullable Throwable error) {
        if (error != null) {
            LOG.error("Listing {} failed; trying again in {} ms", (Object) paths, intervalMs, error);
            return;
        }
        List<FileSourceSplit> fresh = processed.update(listed);
        if (!fresh.isEmpty()) {
            LOG.info("Found {} new upload files ({} remembered)", fresh.size(), processed.size());
            listener.discovered(fresh.stream()
                    .map(split -> new DiscoveredFile(
                            split.path().toUri().toString(), UploadFile.version(split), split.fileSize()))
                    .collect(Collectors.toList()));
            assigner.addSplits(fresh);
        }
        assignSplits();
    }

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String hostname) {
        readersAwaitingSplit.put(subtaskId, hostname);
        assignSplits();
    }

    private void assignSplits() {
        Iterator<Map.Entry<Integer, String>> awaiting = readersAwaitingSplit.entrySet().iterator();
        while (awaiting.hasNext()) {
            Map.Entry<Integer, String> reader = awaiting.next();
            if (!context.registeredReaders().containsKey(reader.getKey())) {
                awaiting.remove(); // the reader failed meanwhile
                continue;
            }
            Optional<FileSourceSplit> split = assigner.getNext(reader.getValue());
            if (split.isEmpty()) {
                break;
            }
            context.assignSplit(split.get(), reader.getKey());
            awaiting.remove();
        }
    }

    @Override
    public void addSplitsBack(List<FileSourceSplit> splits, int subtaskId) {
        assigner.addSplits(splits);
    }

    @Override
    public void addReader(int subtaskId) {
        // readers ask for splits themselves
    }

    @Override
    public PendingSplitsCheckpoint<FileSourceSplit> snapshotState(long checkpointId) {
        return PendingSplitsCheckpoint.fromCollectionSnapshot(assigner.remainingSplits(), processed.snapshot());
    }

    @Override
    public void close() {
        // the context stops the periodic listing
    }
}
