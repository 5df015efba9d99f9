package io.logflow.source.files;

import io.logflow.model.Marker;
import io.logflow.model.RawLog;
import io.logflow.pipeline.LogSource;
import io.logflow.pipeline.UploadDiscoveryListener;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Log files from a folder URI ({@code file://} or {@code s3://}), read once or watched continuously. */
public class UploadSource implements LogSource {
    private final UploadConfig config;
    private final int failureMaxRawBytes;
    private final UploadDiscoveryListener discoveries;

    public UploadSource(UploadConfig config, int failureMaxRawBytes, UploadDiscoveryListener discoveries) {
        this.config = config;
        this.failureMaxRawBytes = failureMaxRawBytes;
        this.discoveries = discoveries;
    }

    @Override
    public Streams build(StreamExecutionEnvironment env) {
        UploadFileFilter filter = config.fileFilter();
        UploadFileSource source = new UploadFileSource(
                new Path(config.path),
                () -> new UploadFileEnumerator(filter),
                new LogFileFormat(config.path, config.pattern, config.limits, failureMaxRawBytes),
                config.monitorInterval,
                discoveries);
        DataStream<RawLog> records = env.fromSource(source,
                        WatermarkStrategy.<RawLog>noWatermarks().withTimestampAssigner(new FileOrder()),
                        "Upload files", TypeInformation.of(RawLog.class))
                .uid("upload-source")
                .name("Read upload files");
        return Streams.ofRecords(records, "upload-batches");
    }

    /**
     * Timestamps that keep a file's markers around its records where the job keys them by routing key in BATCH mode (a
     * backfill), which sorts each key's records by timestamp: the start first, the end last, the records between at
     * their receive time. In STREAMING mode they arrive in order anyway. Nothing reads them as event time (the
     * windowed metrics take the events' own times).
     */
    static final class FileOrder implements SerializableTimestampAssigner<RawLog> {
        private static final long serialVersionUID = 1L;

        @Override
        public long extractTimestamp(RawLog record, long previous) {
            if (record.marker == Marker.FILE_START) {
                return Long.MIN_VALUE;
            }
            return record.marker == Marker.FILE_END ? Long.MAX_VALUE : record.receiveTime;
        }
    }
}
