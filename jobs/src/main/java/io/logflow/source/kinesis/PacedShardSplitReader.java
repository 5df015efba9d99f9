package io.logflow.source.kinesis;

import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.connector.kinesis.source.proxy.StreamProxy;
import org.apache.flink.connector.kinesis.source.reader.PollingKinesisShardSplitReader;
import org.apache.flink.connector.kinesis.source.split.KinesisShardSplit;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Record;
import org.apache.flink.metrics.MetricGroup;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Reads the shards of one source subtask like the connector's {@link PollingKinesisShardSplitReader}, but waits
 * {@code emptyFetchInterval} before polling a shard again whose last GetRecords call returned nothing.
 *
 * <p>flink-connector-kinesis 4.3.0 puts an idle shard straight back into its queue, so a quiet stream is polled in a
 * tight loop: a good part of a core per subtask, and on AWS every call counts against the 5 GetRecords per second and
 * shard that all consumers of the stream share. Each shard gets its own connector reader here (all on one
 * {@link StreamProxy}, so one HTTP client), which keeps the connector's handling of iterators and shard ends; this
 * class only decides which shard is polled next and sleeps while none is due. A busy shard is polled again at once.
 *
 * <p>Connector 5.1 pauses by itself ({@code source.reader.empty-records-fetch-interval}, 250 ms). After such an
 * upgrade, set that option from {@code kinesis.empty-fetch-interval} and build the connector's source directly in
 * {@link KinesisLogSource} (drop {@link PacedKinesisSource} and this class; keep the lag gauges only if the connector's
 * own {@code millisBehindLatest} does not serve).
 */
final class PacedShardSplitReader implements SplitReader<Record, KinesisShardSplit> {
    private final StreamProxy proxy;
    private final ShardActivity activity;
    private final long emptyFetchIntervalMillis;
    private final LongSupplier clock;
    private final MetricGroup kinesisMetrics;

    /** Shard id → the connector's reader of that shard alone. */
    private final Map<String, PollingKinesisShardSplitReader> readers = new HashMap<>();
    /** Shard id → when it may be polled again (clock millis). */
    private final Map<String, Long> dueAt = new HashMap<>();
    /** Round-robin order of the shards. */
    private final Deque<String> order = new ArrayDeque<>();
    private final Object wakeUpLock = new Object();
    private boolean wakeUpRequested;

    /**
     * @param proxy the connector's stream proxy, already wrapped by {@code activity.observe(...)}
     * @param kinesisMetrics group the per-shard metrics go to ({@code shard} label); null registers none
     */
    PacedShardSplitReader(StreamProxy proxy, ShardActivity activity, long emptyFetchIntervalMillis,
            LongSupplier clock, MetricGroup kinesisMetrics) {
        this.proxy = proxy;
        this.activity = activity;
        this.emptyFetchIntervalMillis = emptyFetchIntervalMillis;
        this.clock = clock;
        this.kinesisMetrics = kinesisMetrics;
    }

    @Override
    public RecordsWithSplitIds<Record> fetch() throws IOException {
        long now = clock.getAsLong();
        String shard = nextDue(now);
        if (shard == null) {
            pauseUntilDue(now);
            return new RecordsBySplits.Builder<Record>().build();
        }
        RecordsWithSplitIds<Record> result = readers.get(shard).fetch();
        if (result.finishedSplits().contains(shard)) {
            readers.remove(shard);
            dueAt.remove(shard);
            order.remove(shard);
            activity.forget(shard);
        } else {
            ShardActivity.Reading reading = activity.shard(shard);
            dueAt.put(shard, reading.lastPollEmpty ? clock.getAsLong() + emptyFetchIntervalMillis : now);
        }
        return result;
    }

    /** The first shard in round-robin order that is due, moved to the end of the order; null if none is. */
    private String nextDue(long now) {
        for (int i = 0; i < order.size(); i++) {
            String shard = order.pollFirst();
            order.addLast(shard);
            if (dueAt.get(shard) <= now) {
                return shard;
            }
        }
        return null;
    }

    private void pauseUntilDue(long now) throws IOException {
        long wait = emptyFetchIntervalMillis;
        for (long due : dueAt.values()) {
            wait = Math.min(wait, due - now);
        }
        synchronized (wakeUpLock) {
            try {
                if (!wakeUpRequested && wait > 0) {
                    wakeUpLock.wait(wait);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting to poll idle Kinesis shards", e);
            } finally {
                wakeUpRequested = false;
            }
        }
    }

    @Override
    public void handleSplitsChanges(SplitsChange<KinesisShardSplit> change) {
        if (!(change instanceof SplitsAddition)) {
            throw new UnsupportedOperationException("unsupported split change " + change.getClass().getSimpleName());
        }
        for (KinesisShardSplit split : change.splits()) {
            String shard = split.splitId();
            PollingKinesisShardSplitReader reader = new PollingKinesisShardSplitReader(proxy);
            reader.handleSplitsChanges(new SplitsAddition<>(List.of(split)));
            readers.put(shard, reader);
            dueAt.put(shard, clock.getAsLong());
            order.addLast(shard);
            activity.shard(shard);
            if (kinesisMetrics != null) {
                MetricGroup group = kinesisMetrics.addGroup("shard", shard);
                group.gauge("millisBehindLatest", () -> activity.millisBehindLatest(shard));
                group.gauge("getRecordsCalls", () -> activity.getRecordsCalls(shard));
            }
        }
    }

    @Override
    public void wakeUp() {
        synchronized (wakeUpLock) {
            wakeUpRequested = true;
            wakeUpLock.notifyAll();
        }
    }

    @Override
    public void close() throws Exception {
        // The per-shard readers only hold the shared proxy; closing it once is closing them all.
        proxy.close();
    }
}
