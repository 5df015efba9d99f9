package io.logflow.metrics;

import io.logflow.model.LogEvent;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventTimeWatermarksTest {
    private static final long OUT_OF_ORDERNESS = 60_000;
    private static final long FUTURE_SKEW = 900_000;
    private static final long IDLE_TIMEOUT = 30_000;
    private static final long NOW = 1_800_000_000_000L;

    private long wallClock = NOW;
    private final Output output = new Output();
    private final EventTimeWatermarks watermarks =
            new EventTimeWatermarks(OUT_OF_ORDERNESS, FUTURE_SKEW, IDLE_TIMEOUT, () -> wallClock);

    @Test
    void trailsTheNewestEventByTheOutOfOrderness() {
        event(NOW - 10_000);
        event(NOW - 50_000); // older: does not move it back
        assertThat(emit()).isEqualTo(NOW - 10_000 - OUT_OF_ORDERNESS - 1);
    }

    @Test
    void anEventTooFarInTheFutureDoesNotMoveIt() {
        event(NOW - 10_000);
        event(NOW + FUTURE_SKEW + 1);
        assertThat(emit()).isEqualTo(NOW - 10_000 - OUT_OF_ORDERNESS - 1);
    }

    @Test
    void followsTheWallClockOnceQuietForTheIdleTimeout() {
        long old = NOW - 86_400_000; // a day behind: without the clock, its windows would stay open
        event(old);
        wallClock = NOW + IDLE_TIMEOUT - 1;
        assertThat(emit()).isEqualTo(old - OUT_OF_ORDERNESS - 1);
        wallClock = NOW + IDLE_TIMEOUT;
        assertThat(emit()).isEqualTo(wallClock - OUT_OF_ORDERNESS - 1);
        wallClock += 5_000;
        assertThat(emit()).isEqualTo(wallClock - OUT_OF_ORDERNESS - 1);
    }

    @Test
    void aNewEventEndsTheQuietUntilTheNextQuiet() {
        event(NOW - 86_400_000);
        wallClock = NOW + IDLE_TIMEOUT;
        long idle = emit();
        event(NOW - 3_600_000); // late by now (MetricsInput counts it); Flink ignores the lower offer
        assertThat(emit()).isEqualTo(NOW - 3_600_000 - OUT_OF_ORDERNESS - 1).isLessThan(idle);
        wallClock += IDLE_TIMEOUT;
        assertThat(emit()).isEqualTo(wallClock - OUT_OF_ORDERNESS - 1);
    }

    @Test
    void anInstanceWithoutEventsWaitsForTheIdleTimeoutFromItsStartThenFollowsTheWallClock() {
        wallClock = NOW + IDLE_TIMEOUT - 1; // after a restore, a backlog may be on its way
        assertThat(emit()).isLessThan(Long.MIN_VALUE / 2);
        wallClock = NOW + IDLE_TIMEOUT; // its tenants are quiet: it must not hold back everyone's windows
        assertThat(emit()).isEqualTo(wallClock - OUT_OF_ORDERNESS - 1);
    }

    private void event(long timestamp) {
        watermarks.onEvent(new LogEvent(), timestamp, output);
    }

    /** The watermark the generator offers now (Flink's output then drops one that does not rise). */
    private long emit() {
        watermarks.onPeriodicEmit(output);
        return output.offered;
    }

    private static final class Output implements WatermarkOutput {
        long offered;

        @Override
        public void emitWatermark(Watermark watermark) {
            offered = watermark.getTimestamp();
        }

        @Override
        public void markIdle() {
            throw new AssertionError("never idle");
        }

        @Override
        public void markActive() {}
    }
}
