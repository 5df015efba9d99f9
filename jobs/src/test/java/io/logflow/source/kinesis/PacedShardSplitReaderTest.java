package io.logflow.source.kinesis;

import io.logflow.config.Settings;
import io.logflow.testing.KinesisEmulator;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.kinesis.source.proxy.StreamProxy;
import org.apache.flink.connector.kinesis.source.reader.PollingKinesisShardSplitReader;
import org.apache.flink.connector.kinesis.source.split.KinesisShardSplit;
import org.apache.flink.connector.kinesis.source.split.StartingPosition;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The paced reader against the Kinesis emulator: an idle shard is polled at most 5 times a second (the per-shard
 * GetRecords limit on AWS) while records put on a busy shard keep arriving; the connector's own reader, measured the
 * same way, for comparison.
 */
class PacedShardSplitReaderTest {
    private static final long RUN_MILLIS = 10_000;
    private static final long EMPTY_FETCH_INTERVAL_MILLIS = 250;

    @RegisterExtension static final KinesisEmulator KINESIS = new KinesisEmulator();

    @Test
    void idleShardIsPolledAtMostFiveTimesASecondWhileABusyShardKeepsDelivering() throws Exception {
        String stream = "paced-" + System.nanoTime();
        KinesisEmulator.createStream(stream, 2);
        ShardActivity activity = new ShardActivity(System::currentTimeMillis);
        StreamProxy proxy = activity.observe(PacedKinesisSource.createProxy(sourceConfig(stream)));
        PacedShardSplitReader reader = new PacedShardSplitReader(proxy, activity, EMPTY_FETCH_INTERVAL_MILLIS,
                System::currentTimeMillis, null);

        Run run = run(reader, stream, activity);

        double idlePerSecond = run.idleCalls * 1000.0 / RUN_MILLIS;
        System.out.printf("paced reader (%d ms): idle shard %d GetRecords in %d ms = %.1f/s; busy shard %d calls,"
                        + " %d/%d records; reading thread %.0f %% of a core%n", EMPTY_FETCH_INTERVAL_MILLIS,
                run.idleCalls, RUN_MILLIS, idlePerSecond, run.busyCalls, run.received.size(), run.put.size(),
                run.readerCpuPercent);
        assertThat(idlePerSecond).isLessThanOrEqualTo(5.0);
        assertThat(run.idleCalls).isGreaterThan(0);
        assertThat(run.received).containsExactlyElementsOf(run.put);
        assertThat(activity.millisBehindLatest(run.idleShard)).isBetween(0L, 2 * EMPTY_FETCH_INTERVAL_MILLIS + 1000);
    }

    @Test
    void theConnectorsOwnReaderPollsAnIdleShardWithoutPause() throws Exception {
        String stream = "unpaced-" + System.nanoTime();
        KinesisEmulator.createStream(stream, 2);
        ShardActivity activity = new ShardActivity(System::currentTimeMillis);
        PollingKinesisShardSplitReader reader = new PollingKinesisShardSplitReader(
                activity.observe(PacedKinesisSource.createProxy(sourceConfig(stream))));

        Run run = run(reader, stream, activity);

        System.out.printf("connector 4.3.0 reader: idle shard %d GetRecords in %d ms = %.1f/s; busy shard %d calls,"
                        + " %d/%d records; reading thread %.0f %% of a core%n", run.idleCalls, RUN_MILLIS,
                run.idleCalls * 1000.0 / RUN_MILLIS, run.busyCalls, run.received.size(), run.put.size(),
                run.readerCpuPercent);
        assertThat(run.received).containsExactlyElementsOf(run.put);
    }

    /** Reads both shards for {@link #RUN_MILLIS}, putting a record on one of them every 100 ms. */
    private static Run run(SplitReader<Record, KinesisShardSplit> reader, String stream, ShardActivity activity)
            throws Exception {
        Run run = new Run();
        List<String> shards = KinesisEmulator.listShards(stream).stream().map(s -> s.id).collect(Collectors.toList());
        List<KinesisShardSplit> splits = new ArrayList<>();
        for (String shard : shards) {
            splits.add(new KinesisShardSplit(KinesisEmulator.streamArn(stream), shard, StartingPosition.fromStart()));
        }
        reader.handleSplitsChanges(new SplitsAddition<>(splits));

        // Every record goes with the same partition key, so to one shard; the other stays idle.
        run.busyShard = put(stream, run, 0);
        run.idleShard = shards.get(0).equals(run.busyShard) ? shards.get(1) : shards.get(0);
        long start = System.currentTimeMillis();
        long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long nextPut = start + 100;
        while (System.currentTimeMillis() - start < RUN_MILLIS) {
            if (System.currentTimeMillis() >= nextPut) {
                put(stream, run, run.put.size());
                nextPut += 100;
            }
            RecordsWithSplitIds<Record> batch = reader.fetch();
            for (String split = batch.nextSplit(); split != null; split = batch.nextSplit()) {
                for (Record r = batch.nextRecordFromSplit(); r != null; r = batch.nextRecordFromSplit()) {
                    assertThat(split).isEqualTo(run.busyShard);
                    run.received.add(r.data().asUtf8String());
                }
            }
            batch.recycle();
        }
        run.readerCpuPercent = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart) / 1e4
                / RUN_MILLIS;
        run.idleCalls = activity.getRecordsCalls(run.idleShard);
        run.busyCalls = activity.getRecordsCalls(run.busyShard);
        // Whatever was put in the last moments: read it before comparing.
        long drainUntil = System.currentTimeMillis() + 5_000;
        while (run.received.size() < run.put.size() && System.currentTimeMillis() < drainUntil) {
            RecordsWithSplitIds<Record> batch = reader.fetch();
            for (String split = batch.nextSplit(); split != null; split = batch.nextSplit()) {
                for (Record r = batch.nextRecordFromSplit(); r != null; r = batch.nextRecordFromSplit()) {
                    run.received.add(r.data().asUtf8String());
                }
            }
        }
        reader.close();
        return run;
    }

    private static String put(String stream, Run run, int index) throws Exception {
        String value = "record-" + index;
        run.put.add(value);
        return KinesisEmulator.putRecords(stream, List.of(value.getBytes(StandardCharsets.UTF_8)), i -> "busy").get(0);
    }

    private static org.apache.flink.configuration.Configuration sourceConfig(String stream) {
        Map<String, String> settings = new HashMap<>(KinesisEmulator.sourceSettings(stream));
        return KinesisConfig.from(Settings.of(settings, KinesisOptions.all())).sourceConfiguration();
    }

    private static final class Run {
        final List<String> put = new ArrayList<>();
        final List<String> received = new ArrayList<>();
        String busyShard;
        String idleShard;
        long idleCalls;
        long busyCalls;
        /** CPU of the reading thread (puts included) over the run, in % of a core. */
        double readerCpuPercent;
    }
}
