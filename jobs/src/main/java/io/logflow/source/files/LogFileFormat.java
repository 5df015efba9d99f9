package io.logflow.source.files;

import io.logflow.model.Marker;
import io.logflow.model.RawLog;
import io.logflow.model.Storable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.FSDataInputStream;

import javax.annotation.Nullable;
import java.io.IOException;

/**
 * Reads uploaded files into {@link RawLog}s that carry file, version, entry and line, so every event id is
 * deterministic. What a file holds is told by {@link UploadReader}. Each file is one split (compressed files cannot be
 * split), framed by {@link Marker#FILE_START} and {@link Marker#FILE_END} records for the per-upload status. The
 * checkpointed position is the number of records already emitted, so a restore re-reads the file and skips them.
 */
public class LogFileFormat implements BulkFormat<RawLog, FileSourceSplit> {
    private static final long serialVersionUID = 1L;
    private static final int BATCH_SIZE = 256;

    private final String rootPath;
    private final UploadPathPattern pattern;
    private final UploadLimits limits;
    private final int failureMaxRawBytes;

    public LogFileFormat(String rootUri, UploadPathPattern pattern, UploadLimits limits, int failureMaxRawBytes) {
        this.rootPath = UploadPathPattern.rootPathOf(rootUri);
        this.pattern = pattern;
        this.limits = limits;
        this.failureMaxRawBytes = failureMaxRawBytes;
    }

    @Override
    public Reader<RawLog> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new FileReader(split, 0);
    }

    @Override
    public Reader<RawLog> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long done = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        return new FileReader(split, done);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<RawLog> getProducedType() {
        return TypeInformation.of(RawLog.class);
    }

    /**
     * Routing key, service and date from the path below the source folder; the version from size and mtime. The path
     * (an S3 key may hold NUL) goes to the uploads table and every ref as it is, so it is made storable here.
     */
    UploadFile describe(FileSourceSplit split) {
        UploadPathPattern.Match match = pattern.matchFile(rootPath, split.path());
        return new UploadFile(Storable.text(split.path().toUri().toString()), UploadFile.version(split),
                Storable.text(match.routingKey), Storable.text(match.service), match.dateMillis());
    }

    private final class FileReader implements Reader<RawLog> {
        private final FileSourceSplit split;
        private final UploadFile file;
        private final FSDataInputStream stream;
        private final UploadReader reader;
        /** Records emitted, markers included: the checkpointed position. */
        private long emitted;
        private boolean started;
        private boolean ended;

        FileReader(FileSourceSplit split, long alreadyEmitted) throws IOException {
            this.split = split;
            this.file = describe(split);
            this.stream = split.path().getFileSystem().open(split.path());
            this.reader = new UploadReader(stream, file, limits, failureMaxRawBytes, System.currentTimeMillis());
            while (emitted < alreadyEmitted && nextRecord() != null) {
                // skip what the restored checkpoint already emitted
            }
        }

        @Nullable
        @Override
        public RecordIterator<RawLog> readBatch() {
            long firstSkipCount = emitted;
            RawLog[] batch = new RawLog[BATCH_SIZE];
            int n = 0;
            while (n < BATCH_SIZE) {
                RawLog record = nextRecord();
                if (record == null) {
                    break;
                }
                batch[n++] = record;
            }
            if (n == 0) {
                return null;
            }
            ArrayResultIterator<RawLog> it = new ArrayResultIterator<>();
            it.set(batch, n, CheckpointedPosition.NO_OFFSET, firstSkipCount);
            return it;
        }

        private RawLog nextRecord() {
            RawLog record;
            if (!started) {
                started = true;
                record = RawLog.fileMarker(Marker.FILE_START, file.path, file.version, System.currentTimeMillis());
                record.routingKey = file.routingKey; // keyed with the file's lines, so counted where they are
                record.fileBytes = split.fileSize();
            } else if (ended) {
                return null;
            } else {
                record = reader.next();
                if (record == null) {
                    ended = true;
                    record = RawLog.fileMarker(Marker.FILE_END, file.path, file.version, System.currentTimeMillis());
                    record.routingKey = file.routingKey;
                    record.line = reader.recordsEmitted();
                    record.fileBytes = split.fileSize();
                    record.error = reader.stopReason();
                }
            }
            emitted++;
            return record;
        }

        @Override
        public void close() throws IOException {
            stream.close();
        }
    }
}
