package io.logflow.source.kinesis;

import io.logflow.model.RawLog;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

import java.time.Duration;

/** Event time of a CloudWatch event: its CloudWatch timestamp. */
public final class CloudWatchTimestamps implements SerializableTimestampAssigner<RawLog> {
    private static final long serialVersionUID = 1L;

    /**
     * Bounded out-of-orderness, since log streams of one shard interleave and agents send late; idleness, so a shard
     * that has gone quiet does not hold back event time for the whole job.
     */
    public static WatermarkStrategy<RawLog> strategy(Duration maxOutOfOrderness, Duration idleness) {
        return WatermarkStrategy.<RawLog>forBoundedOutOfOrderness(maxOutOfOrderness)
                .withTimestampAssigner(new CloudWatchTimestamps())
                .withIdleness(idleness);
    }

    @Override
    public long extractTimestamp(RawLog event, long recordTimestamp) {
        return event.sourceTime != 0 ? event.sourceTime : recordTimestamp;
    }
}
