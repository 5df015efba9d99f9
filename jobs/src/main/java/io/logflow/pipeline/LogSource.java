package io.logflow.pipeline;

import io.logflow.model.Failure;
import io.logflow.model.RawLog;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import javax.annotation.Nullable;

/**
 * One input of the job: adds a source and its decoding to the environment and hands back the raw records, plus the
 * failures its decoding found. The job receives its sources from outside, so a test can swap one without touching
 * the topology.
 */
public interface LogSource {

    /** The records and the decode failures of one source. */
    final class Streams {
        public final DataStream<RawLog> records;
        @Nullable public final DataStream<Failure> failures;

        public Streams(DataStream<RawLog> records, @Nullable DataStream<Failure> failures) {
            this.records = records;
            this.failures = failures;
        }
    }

    Streams build(StreamExecutionEnvironment env);
}
