package io.logflow.cluster;

import io.logflow.decode.CloudWatchPayloads;
import io.logflow.decode.CloudWatchPayloads.LogEvent;
import io.logflow.model.EventIds;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * CloudWatch Logs subscription records for the cluster test, in the batches a {@link Feeder} puts, with the ids of the
 * events they must become, computed as they are built.
 *
 * <p>Record {@code r} goes to partition key {@code pk-r}. Its events are JSON lines of two accounts, three log groups
 * and twelve log streams, a tenth of them errors, most with a duration. Event time starts at {@link #START} and
 * grows by {@link #EVENT_SPACING_MS} per event in the order records are put, so each shard's events are in time
 * order and no event is behind the watermark of its shard.
 */
final class ClusterInput {
    static final long START = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
    static final long EVENT_SPACING_MS = 50;
    private static final String[] OWNERS = {"111111111111", "222222222222"};
    private static final String[] GROUPS = {"/aws/lambda/checkout", "/ecs/api", "app"};
    private static final int STREAMS = 12;

    final List<List<byte[]>> batches = new ArrayList<>();
    final Set<String> eventIds = new LinkedHashSet<>();
    private int records;
    private int events;

    /** {@code batches} batches of {@code recordsPerBatch} records with {@code eventsPerRecord} events each. */
    ClusterInput(int batches, int recordsPerBatch, int eventsPerRecord) {
        for (int b = 0; b < batches; b++) {
            List<byte[]> batch = new ArrayList<>();
            for (int r = 0; r < recordsPerBatch; r++) {
                batch.add(record(eventsPerRecord));
            }
            this.batches.add(batch);
        }
    }

    private byte[] record(int eventCount) {
        int r = records++;
        String owner = OWNERS[r % OWNERS.length];
        String group = GROUPS[r % GROUPS.length];
        int stream = r % STREAMS;
        List<LogEvent> logEvents = new ArrayList<>();
        for (int i = 0; i < eventCount; i++) {
            int n = events++;
            long timestamp = START + n * EVENT_SPACING_MS;
            String id = CloudWatchPayloads.eventId(timestamp, stream, i);
            logEvents.add(new LogEvent(id, timestamp, message(n)));
            eventIds.add(EventIds.of("cloudwatch", owner, group, id));
        }
        return CloudWatchPayloads.dataMessage(owner, group, "stream-" + stream, logEvents);
    }

    private static String message(int n) {
        String level = n % 10 == 0 ? "ERROR" : n % 10 == 1 ? "WARN" : "INFO";
        String text = n % 10 == 0 ? "payment declined for order " + n : "GET /api/items/" + (n % 50) + " 200";
        return "{\"level\":\"" + level + "\",\"message\":\"" + text + "\",\"requestId\":\"req-" + n
                + "\",\"duration_ms\":" + (5 + (n * 37) % 400) + "}";
    }

    int batchCount() {
        return batches.size();
    }

    int recordCount() {
        return records;
    }
}
