package io.logflow.enrich;

import io.logflow.model.LogEvent;

/** An event of a not-yet-registered routing key, held in keyed state, with when it was buffered. A Flink POJO. */
public class BufferedEvent {
    public LogEvent event;
    /** Processing time (epoch millis) at which it was buffered. */
    public long bufferedAt;

    public BufferedEvent() {}

    public BufferedEvent(LogEvent event, long bufferedAt) {
        this.event = event;
        this.bufferedAt = bufferedAt;
    }
}
