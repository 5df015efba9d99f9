package io.logflow.metrics;

import io.logflow.model.LogEvent;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

import java.util.function.LongSupplier;

/**
 * Bounded out-of-orderness on the events' own time, with two exceptions.
 *
 * <ul>
 *   <li>An event stamped further ahead of the wall clock than {@code maxFutureSkew} does not move the watermark: one
 *       tenant's wrong clock would otherwise make every other tenant's events late. Such an event is still counted,
 *       in its (future) window.
 *   <li>Once an instance has had no event for {@code idleTimeout} (or none since it started), its watermark follows
 *       the wall clock, minus the out-of-orderness: an instance whose tenants are quiet does not hold back everyone's
 *       windows, and the last windows close when all traffic stops. This is not Flink's idleness, on purpose: an
 *       idle input is left out of its readers' watermark until it wakes, and the window operators after the first
 *       (day and week roll-ups, template ranks, request counts) then wake one after another; the first to wake
 *       closes windows its siblings still have rows for, and those rows are dropped as late. Here every instance
 *       always has a watermark.
 * </ul>
 */
final class EventTimeWatermarks implements WatermarkGenerator<LogEvent> {
    private final long outOfOrdernessMs;
    private final long maxFutureSkewMs;
    private final long idleTimeoutMs;
    private final LongSupplier clock;
    private long maxTimestamp;
    /** Wall-clock time of the last event, or of the start before the first. */
    private long lastEventAt;

    EventTimeWatermarks(long outOfOrdernessMs, long maxFutureSkewMs, long idleTimeoutMs, LongSupplier clock) {
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.maxFutureSkewMs = maxFutureSkewMs;
        this.idleTimeoutMs = idleTimeoutMs;
        this.clock = clock;
        this.maxTimestamp = Long.MIN_VALUE + outOfOrdernessMs + 1;
        this.lastEventAt = clock.getAsLong();
    }

    static WatermarkStrategy<LogEvent> strategy(MetricsConfig config) {
        long outOfOrdernessMs = config.outOfOrderness.toMillis();
        long maxFutureSkewMs = config.maxFutureSkew.toMillis();
        long idleTimeoutMs = config.idleTimeout.toMillis();
        return WatermarkStrategy.<LogEvent>forGenerator(context -> new EventTimeWatermarks(
                        outOfOrdernessMs, maxFutureSkewMs, idleTimeoutMs, System::currentTimeMillis))
                .withTimestampAssigner((event, previous) -> event.timestamp);
    }

    @Override
    public void onEvent(LogEvent event, long timestamp, WatermarkOutput output) {
        long now = clock.getAsLong();
        lastEventAt = now;
        if (timestamp > maxTimestamp && timestamp <= now + maxFutureSkewMs) {
            maxTimestamp = timestamp;
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long watermark = maxTimestamp - outOfOrdernessMs - 1;
        long now = clock.getAsLong();
        if (now - lastEventAt >= idleTimeoutMs) {
            watermark = Math.max(watermark, now - outOfOrdernessMs - 1);
        }
        output.emitWatermark(new Watermark(watermark)); // Flink drops a watermark that does not advance
    }
}
