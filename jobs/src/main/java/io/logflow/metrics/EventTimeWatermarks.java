package io.logflow.metrics;

import io.logflow.model.LogEvent;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Bounded out-of-orderness on the events' own time, except that an event stamped further ahead of the wall clock
 * than {@code maxFutureSkew} does not move the watermark: one tenant's wrong clock would otherwise make every other
 * tenant's events late. Such an event is still counted, in its (future) window.
 */
final class EventTimeWatermarks implements WatermarkGenerator<LogEvent> {
    private final long outOfOrdernessMs;
    private final long maxFutureSkewMs;
    private long maxTimestamp;

    EventTimeWatermarks(long outOfOrdernessMs, long maxFutureSkewMs) {
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.maxFutureSkewMs = maxFutureSkewMs;
        this.maxTimestamp = Long.MIN_VALUE + outOfOrdernessMs + 1;
    }

    static WatermarkStrategy<LogEvent> strategy(MetricsConfig config) {
        long outOfOrdernessMs = config.outOfOrderness.toMillis();
        long maxFutureSkewMs = config.maxFutureSkew.toMillis();
        return WatermarkStrategy.<LogEvent>forGenerator(context ->
                        new EventTimeWatermarks(outOfOrdernessMs, maxFutureSkewMs))
                .withTimestampAssigner((event, previous) -> event.timestamp)
                .withIdleness(config.idleTimeout);
    }

    @Override
    public void onEvent(LogEvent event, long timestamp, WatermarkOutput output) {
        if (timestamp > maxTimestamp && timestamp <= System.currentTimeMillis() + maxFutureSkewMs) {
            maxTimestamp = timestamp;
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        output.emitWatermark(new Watermark(maxTimestamp - outOfOrdernessMs - 1));
    }
}
