package io.logflow.source.kinesis;

import org.apache.flink.connector.kinesis.source.proxy.StreamProxy;
import org.apache.flink.connector.kinesis.source.split.StartingPosition;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Record;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Shard;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What the source knows about each shard's reading: GetRecords calls made, whether the last one was empty, and the
 * approximate arrival time of the newest record it returned. {@link #observe} wraps the connector's
 * {@link StreamProxy} so that every GetRecords call is seen here; {@link PacedShardSplitReader} pauses on it and the
 * lag gauges read it. Written by the fetcher thread, read by the metric reporters.
 */
final class ShardActivity {
    /** One shard's figures. */
    static final class Reading {
        volatile long getRecordsCalls;
        /** Wall-clock millis of the last GetRecords response; 0 before the first. */
        volatile long lastPollMillis;
        volatile boolean lastPollEmpty;
        /** Approximate arrival time (millis) of the newest record of the last non-empty response. */
        volatile long newestArrivalMillis;
    }

    private final Map<String, Reading> shards = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    ShardActivity(LongSupplier clock) {
        this.clock = clock;
    }

    Reading shard(String shardId) {
        return shards.computeIfAbsent(shardId, id -> new Reading());
    }

    void forget(String shardId) {
        shards.remove(shardId);
    }

    /**
     * Milliseconds the shard's reading is behind its newest record: since the newest record's arrival after a
     * response with records, since the last poll after an empty one (the shard was caught up then), 0 before the
     * first poll.
     */
    long millisBehindLatest(String shardId) {
        Reading s = shards.get(shardId);
        if (s == null || s.lastPollMillis == 0) {
            return 0;
        }
        long since = s.lastPollEmpty ? s.lastPollMillis : s.newestArrivalMillis;
        return Math.max(0, clock.getAsLong() - since);
    }

    /** GetRecords calls made on the shard so far (0 once it is finished). */
    long getRecordsCalls(String shardId) {
        Reading s = shards.get(shardId);
        return s == null ? 0 : s.getRecordsCalls;
    }

    /** The largest {@link #millisBehindLatest} over this reader's shards. */
    long maxMillisBehindLatest() {
        long max = 0;
        for (String id : shards.keySet()) {
            max = Math.max(max, millisBehindLatest(id));
        }
        return max;
    }

    /** {@code proxy}, with every GetRecords response recorded here. */
    StreamProxy observe(StreamProxy proxy) {
        return new StreamProxy() {
            @Override
            public List<Shard> listShards(String streamArn, String lastSeenShardId) {
                return proxy.listShards(streamArn, lastSeenShardId);
            }

            @Override
            public GetRecordsResponse getRecords(String streamArn, String shardId, StartingPosition position) {
                GetRecordsResponse response = proxy.getRecords(streamArn, shardId, position);
                Reading s = shard(shardId);
                s.getRecordsCalls++;
                List<Record> records = response.records();
                if (records.isEmpty()) {
                    s.lastPollEmpty = true;
                } else {
                    Instant arrival = records.get(records.size() - 1).approximateArrivalTimestamp();
                    s.newestArrivalMillis = arrival != null ? arrival.toEpochMilli() : clock.getAsLong();
                    s.lastPollEmpty = false;
                }
                s.lastPollMillis = clock.getAsLong();
                return response;
            }

            @Override
            public void close() throws IOException {
                proxy.close();
            }
        };
    }
}
