package io.logflow.pipeline;

import io.logflow.model.Failure;
import io.logflow.model.LogEvent;
import io.logflow.model.UploadStatus;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Where the job's results go: the events, the failures of every stage, and upload progress. */
public interface LogSinks {
    void events(DataStream<LogEvent> events);

    void failures(DataStream<Failure> failures);

    void uploads(DataStream<UploadStatus> uploads);
}
