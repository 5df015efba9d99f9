package io.logflow.pipeline;

import io.logflow.model.Failure;
import io.logflow.model.RawLog;
import io.logflow.model.RawLogBatchSerializer;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import javax.annotation.Nullable;
import java.util.List;

/**
 * One input of the job: adds a source and its decoding to the environment and hands back the raw records, plus the
 * failures its decoding found. The job receives its sources from outside, so a test can swap one without touching
 * the topology.
 */
public interface LogSource {

    /** The records and the decode failures of one source. */
    final class Streams {
        /**
         * Records in batches of one routing key ({@link RawLogBatchSerializer#TYPE}): a CloudWatch payload's events of
         * one log stream, or a single record. The job keys them by routing key ({@link BatchRoutingKey}).
         */
        public final DataStream<List<RawLog>> batches;
        @Nullable public final DataStream<Failure> failures;

        public Streams(DataStream<List<RawLog>> batches, @Nullable DataStream<Failure> failures) {
            this.batches = batches;
            this.failures = failures;
        }

        /** A source of single records: each becomes a batch of one, in an operator with the given uid. */
        public static Streams ofRecords(DataStream<RawLog> records, String uid) {
            // the source's parallelism, so the step is chained to it and a file's records keep their order
            DataStream<List<RawLog>> batches = records
                    .map(new SingleRecordBatch(), RawLogBatchSerializer.TYPE)
                    .setParallelism(records.getParallelism())
                    .uid(uid)
                    .name("One record per batch");
            return new Streams(batches, null);
        }
    }

    Streams build(StreamExecutionEnvironment env);

    /** A record as a batch of one (chained to its source: no copy, no serialisation). */
    final class SingleRecordBatch implements MapFunction<RawLog, List<RawLog>> {
        private static final long serialVersionUID = 1L;

        @Override
        public List<RawLog> map(RawLog record) {
            return List.of(record);
        }
    }
}
