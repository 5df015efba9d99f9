package io.logflow.decode;

import io.logflow.model.Failure;
import io.logflow.model.RawLog;

import java.util.ArrayList;
import java.util.List;

/**
 * What one payload decoded into. The decoder reuses one instance for every payload, so a caller emits the events and
 * failures straight from these lists (no copy) and must not keep the result past its next {@code decode} call.
 *
 * <p>Accounting: every log event of every well-formed DATA_MESSAGE envelope is in {@link #events()}; every other part of
 * the payload is in {@link #failures()} or counted in {@link #controlMessages()}.
 */
public final class DecodeResult {
    final ArrayList<RawLog> events = new ArrayList<>();
    final ArrayList<Failure> failures = new ArrayList<>();
    int dataMessages;
    int controlMessages;
    long decompressedBytes;

    DecodeResult() {}

    void clear() {
        events.clear();
        failures.clear();
        dataMessages = 0;
        controlMessages = 0;
        decompressedBytes = 0;
    }

    /** One per CloudWatch log event, in payload order. */
    public List<RawLog> events() {
        return events;
    }

    /** Payload, envelope or entry failures, each with a stable reason code. */
    public List<Failure> failures() {
        return failures;
    }

    /** DATA_MESSAGE envelopes that decoded (a Firehose payload may hold several). */
    public int dataMessages() {
        return dataMessages;
    }

    /** CONTROL_MESSAGE envelopes: CloudWatch's health checks of the destination; dropped on purpose. */
    public int controlMessages() {
        return controlMessages;
    }

    /** Bytes produced by gunzip (or read, for uncompressed input) before decoding stopped. */
    public long decompressedBytes() {
        return decompressedBytes;
    }

    @Override
    public String toString() {
        return "DecodeResult{events=" + events.size() + ", failures=" + failures + ", data=" + dataMessages
                + ", control=" + controlMessages + ", decompressedBytes=" + decompressedBytes + '}';
    }
}
