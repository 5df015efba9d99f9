package io.logflow.metrics;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Puts each request outcome at the event time its request started, and holds the watermark back by the request
 * timeout: an outcome is known at most that long after its start, so counting it by its start minute would
 * otherwise always be late. The per-minute request counts therefore close one timeout after the event counts.
 */
public class RequestTimestamps extends AbstractStreamOperator<RequestOutcome>
        implements OneInputStreamOperator<RequestOutcome, RequestOutcome> {
    private static final long serialVersionUID = 1L;
    private final long delayMs;
    /** The record emitted: the input's is left as it came (with object reuse, other operators may see it too). */
    private transient StreamRecord<RequestOutcome> out;

    public RequestTimestamps(long delayMs) {
        this.delayMs = delayMs;
    }

    @Override
    public void processElement(StreamRecord<RequestOutcome> element) {
        if (out == null) {
            out = new StreamRecord<>(null);
        }
        output.collect(out.replace(element.getValue(), element.getValue().startedAt));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        // The end of input (Long.MAX_VALUE) must pass unchanged, or the last windows would never fire.
        long t = mark.getTimestamp();
        if (t == Long.MAX_VALUE) {
            super.processWatermark(mark);
        } else {
            super.processWatermark(new Watermark(t < Long.MIN_VALUE + delayMs ? Long.MIN_VALUE : t - delayMs));
        }
    }
}
