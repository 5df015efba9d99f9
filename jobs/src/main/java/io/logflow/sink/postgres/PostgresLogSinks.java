package io.logflow.sink.postgres;

import io.logflow.config.JobConfig.PostgresConfig;
import io.logflow.job.LogSinks;
import io.logflow.model.Failure;
import io.logflow.model.LogEvent;
import io.logflow.model.UploadStatus;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Events into {@code log_events}, failures into {@code ingest_failures}, upload progress into {@code uploads}. */
public class PostgresLogSinks implements LogSinks {
    private final PostgresConfig config;
    private final boolean failuresToo;

    public PostgresLogSinks(PostgresConfig config) {
        this(config, true);
    }

    /** With {@code failuresToo} false, failures go only to the other dead-letter outputs (the Kafka topic). */
    public PostgresLogSinks(PostgresConfig config, boolean failuresToo) {
        this.config = config;
        this.failuresToo = failuresToo;
    }

    @Override
    public void events(DataStream<LogEvent> events) {
        events.sinkTo(PostgresSinks.logEvents(config)).uid("postgres-log-events").name("Postgres log_events");
    }

    @Override
    public void failures(DataStream<Failure> failures) {
        if (!failuresToo) {
            return;
        }
        failures.sinkTo(PostgresSinks.failures(config)).uid("postgres-failures").name("Postgres ingest_failures");
    }

    @Override
    public void uploads(DataStream<UploadStatus> uploads) {
        uploads.sinkTo(PostgresSinks.uploads(config)).uid("postgres-uploads").name("Postgres uploads");
    }
}
