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
 * and twelve log streams, a tenth of them errors, a tenth warnings, each with a duration and a request id. Event
 * time starts at {@link #START} and grows by {@link #EVENT_SPACING_MS} per event in the order records are put: a few
 * minutes in all, well within the test's {@code metrics.out-of-orderness}, so no event can be late for the windowed
 * metrics whatever order the shards are read in.
 *
 * <p>The {@link #closing} records come last, once every data event is stored: one INFO event on each log stream of
 * the data, two weeks later, without a request id or duration. They go the data's ways through the job, so they move
 * the metrics watermark of every parallel instance that had data past every window of the data (minute, hour, day,
 * ISO week, request timeouts), and an uninterrupted and an interrupted run close the same windows. Their own windows
 * never close, in any run.
 */
final class ClusterInput {
    /** The data's first event time: a whole hour, 30 days ago (the job ignores events far in the future). */
    static final long START = Instant.now().minus(java.time.Duration.ofDays(30))
            .truncatedTo(java.time.temporal.ChronoUnit.HOURS).toEpochMilli();
    static final long EVENT_SPACING_MS = 50;
    private static final long CLOSING_TIME = START + java.time.Duration.ofDays(15).toMillis();
    private static final String[] OWNERS = {"111111111111", "222222222222"};
    private static final String[] GROUPS = {"/aws/lambda/checkout", "/ecs/api", "app"};
    private static final int STREAMS = 12;

    final List<List<byte[]>> batches = new ArrayList<>();
    final List<byte[]> closing = new ArrayList<>();
    /** Every event the input must become, data and closing events. */
    final Set<String> eventIds = new LinkedHashSet<>();
    /** The data events (all but the closing ones). */
    final int dataEvents;
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
        dataEvents = events;
        for (int stream = 0; stream < STREAMS; stream++) {
            String owner = OWNERS[stream % OWNERS.length];
            String group = GROUPS[stream % GROUPS.length];
            String id = CloudWatchPayloads.eventId(CLOSING_TIME, stream, 0);
            closing.add(CloudWatchPayloads.dataMessage(owner, group, "stream-" + stream,
                    List.of(new LogEvent(id, CLOSING_TIME, "{\"level\":\"INFO\",\"message\":\"closing\"}"))));
            eventIds.add(EventIds.of("cloudwatch", owner, group, id));
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

    /** Data events that are errors: each is a failed request (every data event has a request id of its own). */
    int errorEvents() {
        return (dataEvents + 9) / 10;
    }

    int batchCount() {
        return batches.size();
    }

    int recordCount() {
        return records;
    }
}
