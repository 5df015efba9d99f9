package io.logflow.source.files;

import io.logflow.model.RawLog;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;

import javax.annotation.Nullable;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Reads log files line by line into {@link RawLog}s that carry the file and line number, so every event id is
 * deterministic. A file is one split (compressed files cannot be split); gzip is detected by its magic bytes, not
 * the extension. The checkpointed position is the number of lines already emitted, so a restore skips them.
 *
 * <p>Problems never fail the job: an oversize line becomes a {@code line_too_long} record, an unreadable or
 * truncated file a {@code read_error} / {@code truncated_gzip} record for the line where reading stopped; the parse
 * step turns these into failures.
 */
public class LogFileFormat implements BulkFormat<RawLog, FileSourceSplit> {
    private static final long serialVersionUID = 1L;
    private static final int BATCH_SIZE = 256;

    public static final String REASON_LINE_TOO_LONG = "line_too_long";
    public static final String REASON_TRUNCATED_GZIP = "truncated_gzip";
    public static final String REASON_READ_ERROR = "read_error";

    private final int maxLineBytes;

    public LogFileFormat(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public Reader<RawLog> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new LineReader(split, 0);
    }

    @Override
    public Reader<RawLog> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long linesDone = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        return new LineReader(split, linesDone);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<RawLog> getProducedType() {
        return TypeInformation.of(RawLog.class);
    }

    private final class LineReader implements Reader<RawLog> {
        private final String path;
        private final FSDataInputStream file;
        private BoundedLineReader lines;
        private boolean gzip;
        private long lineNumber;
        private boolean finished;

        LineReader(FileSourceSplit split, long linesDone) throws IOException {
            this.path = split.path().toUri().toString();
            FileSystem fs = split.path().getFileSystem();
            this.file = fs.open(split.path());
            try {
                this.lines = new BoundedLineReader(decompressIfGzip(file), maxLineBytes);
            } catch (IOException e) {
                // a file that claims gzip but whose header is broken: reported as a record below
                this.lines = null;
            }
            try {
                while (lineNumber < linesDone && lines != null && lines.readLine() != null) {
                    lineNumber++;
                }
            } catch (IOException e) {
                finished = true; // the read problem was emitted before the checkpoint that is restored
            }
            lineNumber = linesDone;
        }

        private InputStream decompressIfGzip(InputStream raw) throws IOException {
            BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024);
            in.mark(2);
            int b1 = in.read();
            int b2 = in.read();
            in.reset();
            gzip = b1 == 0x1f && b2 == 0x8b;
            return gzip ? new GZIPInputStream(in, 64 * 1024) : in;
        }

        @Nullable
        @Override
        public RecordIterator<RawLog> readBatch() {
            if (finished) {
                return null;
            }
            long receiveTime = System.currentTimeMillis();
            long firstSkipCount = lineNumber;
            RawLog[] batch = new RawLog[BATCH_SIZE];
            int n = 0;
            while (n < BATCH_SIZE) {
                RawLog record = nextRecord(receiveTime);
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

        @Nullable
        private RawLog nextRecord(long receiveTime) {
            if (finished) {
                return null;
            }
            if (lines == null) {
                finished = true;
                return problem(receiveTime, REASON_TRUNCATED_GZIP, "gzip header is broken", "");
            }
            String text;
            try {
                text = lines.readLine();
            } catch (IOException e) {
                finished = true;
                String reason = gzip ? REASON_TRUNCATED_GZIP : REASON_READ_ERROR;
                return problem(receiveTime, reason, "reading stopped after line " + lineNumber + ": " + e, "");
            }
            if (text == null) {
                finished = true;
                return null;
            }
            lineNumber++;
            RawLog raw = RawLog.fileLine(path, null, lineNumber, text, receiveTime);
            if (lines.lastLineTooLong()) {
                raw.error = REASON_LINE_TOO_LONG;
                raw.errorDetail = "line of " + lines.lastLineBytes() + " bytes exceeds the limit of " + maxLineBytes;
            }
            return raw;
        }

        private RawLog problem(long receiveTime, String reason, String detail, String text) {
            RawLog raw = RawLog.fileLine(path, null, ++lineNumber, text, receiveTime);
            raw.error = reason;
            raw.errorDetail = detail;
            return raw;
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
