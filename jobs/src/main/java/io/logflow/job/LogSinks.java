package io.logflow.job;

import io.logflow.model.Failure;
import io.logflow.model.LogEvent;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Where the job's results go: the events and the failures of every stage. */
public interface LogSinks {
    void events(DataStream<LogEvent> events);

    void failures(DataStream<Failure> failures);
}
