package io.logflow.source.kinesis;

import io.logflow.decode.CloudWatchPayloads;
import io.logflow.decode.CloudWatchPayloads.LogEvent;
import io.logflow.model.EventIds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kinesis records a test puts, with what they must decode into, computed as they are built: the expected events
 * by event id, the expected failures by reason, the control messages.
 */
final class CloudWatchInput {
    /** What a CloudWatch event should arrive as. */
    record Expected(String owner, String logGroup, String message, long timestamp) {}

    final List<byte[]> records = new ArrayList<>();
    final Map<String, Expected> expectedEvents = new LinkedHashMap<>();
    final Map<String, Long> expectedFailures = new TreeMap<>();
    int controlMessages;
    private int streams;

    CloudWatchInput() {
        this(0);
    }

    /** {@code firstStream} keeps the CloudWatch ids of two inputs of one test apart. */
    CloudWatchInput(int firstStream) {
        this.streams = firstStream;
    }

    /** Events of log stream number {@code stream}, with CloudWatch-like ids and millisecond timestamps. */
    static List<LogEvent> events(int stream, int count) {
        List<LogEvent> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long ts = 1_790_000_000_000L + stream * 1000L + i;
            out.add(new LogEvent(CloudWatchPayloads.eventId(ts, stream, i), ts, "stream " + stream + " event " + i));
        }
        return out;
    }

    /** The first half of a payload: a truncated gzip stream. */
    static byte[] cut(byte[] payload) {
        return Arrays.copyOf(payload, payload.length / 2);
    }

    /** {@code n} DATA payloads of 1 to 5 events each, over three log groups of two accounts. */
    CloudWatchInput good(int n) {
        String[] owners = {"111111111111", "222222222222"};
        String[] groups = {"/aws/lambda/checkout", "/ecs/api", "app"};
        for (int i = 0; i < n; i++) {
            int stream = streams++;
            String owner = owners[stream % owners.length];
            String group = groups[stream % groups.length];
            List<LogEvent> events = events(stream, stream % 5 + 1);
            records.add(CloudWatchPayloads.dataMessage(owner, group, "stream-" + stream, events));
            for (LogEvent e : events) {
                expectedEvents.put(EventIds.of("cloudwatch", owner, group, e.id()),
                        new Expected(owner, group, e.message(), e.timestamp()));
            }
        }
        return this;
    }

    CloudWatchInput control(int n) {
        for (int i = 0; i < n; i++) {
            records.add(CloudWatchPayloads.controlMessage(1_790_000_000_000L + i));
        }
        controlMessages += n;
        return this;
    }

    /** A record that must become exactly one failure with {@code reason}. */
    CloudWatchInput broken(String reason, byte[] payload) {
        records.add(payload);
        expectedFailures.merge(reason, 1L, Long::sum);
        return this;
    }

    long failureCount() {
        return expectedFailures.values().stream().mapToLong(Long::longValue).sum();
    }

    long bytes() {
        return records.stream().mapToLong(r -> r.length).sum();
    }
}
