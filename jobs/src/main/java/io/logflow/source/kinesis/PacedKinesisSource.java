package io.logflow.source.kinesis;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.fetcher.SingleThreadFetcherManager;
import org.apache.flink.connector.base.source.reader.synchronization.FutureCompletingBlockingQueue;
import org.apache.flink.connector.kinesis.source.KinesisStreamsSource;
import org.apache.flink.connector.kinesis.sink.KinesisStreamsConfigConstants;
import org.apache.flink.connector.kinesis.source.enumerator.KinesisStreamsSourceEnumeratorState;
import org.apache.flink.connector.kinesis.source.proxy.KinesisStreamProxy;
import org.apache.flink.connector.kinesis.source.proxy.StreamProxy;
import org.apache.flink.connector.kinesis.source.reader.KinesisStreamsRecordEmitter;
import org.apache.flink.connector.kinesis.source.reader.KinesisStreamsSourceReader;
import org.apache.flink.connector.kinesis.source.serialization.KinesisDeserializationSchema;
import org.apache.flink.connector.kinesis.source.split.KinesisShardSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.kinesis.shaded.org.apache.flink.connector.aws.util.AWSClientUtil;
import org.apache.flink.kinesis.shaded.org.apache.flink.connector.aws.util.AWSGeneralUtil;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.http.SdkHttpClient;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.http.apache.ApacheHttpClient;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.KinesisClient;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Record;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.utils.AttributeMap;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.UserCodeClassLoader;

import java.time.Duration;
import java.util.Properties;

/**
 * The connector's {@link KinesisStreamsSource} with another reader: its enumerator, splits and checkpoints are the
 * connector's own (so savepoints do not change), but each subtask reads through a {@link PacedShardSplitReader}, which
 * pauses idle shards, and registers the lag gauges of {@link ShardActivity}.
 *
 * <p>Metrics, below the source operator's scope: {@code kinesis.millisBehindLatest} (the most behind of the
 * subtask's shards) and, per shard ({@code shard} label), {@code kinesis.shard.millisBehindLatest} and
 * {@code kinesis.shard.getRecordsCalls}.
 *
 * <p>Everything here but the pause and the gauges is what {@code KinesisStreamsSource.createReader} of connector 4.3.0
 * does; see {@link PacedShardSplitReader} for what to drop on an upgrade.
 */
public final class PacedKinesisSource<T>
        implements Source<T, KinesisShardSplit, KinesisStreamsSourceEnumeratorState> {
    private static final long serialVersionUID = 1L;

    private final KinesisStreamsSource<T> connector;
    private final Configuration sourceConfig;
    private final DeserializationSchema<T> deserializer;
    private final long emptyFetchIntervalMillis;

    public PacedKinesisSource(String streamArn, Configuration sourceConfig, DeserializationSchema<T> deserializer,
            Duration emptyFetchInterval) {
        this.connector = KinesisStreamsSource.<T>builder()
                .setStreamArn(streamArn)
                .setSourceConfig(sourceConfig)
                .setDeserializationSchema(deserializer)
                .build();
        this.sourceConfig = sourceConfig;
        this.deserializer = deserializer;
        this.emptyFetchIntervalMillis = emptyFetchInterval.toMillis();
    }

    @Override
    public Boundedness getBoundedness() {
        return connector.getBoundedness();
    }

    @Override
    public SourceReader<T, KinesisShardSplit> createReader(SourceReaderContext context) throws Exception {
        KinesisDeserializationSchema<T> schema = KinesisDeserializationSchema.of(deserializer);
        schema.open(new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return context.metricGroup();
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return context.getUserCodeClassLoader();
            }
        });

        MetricGroup kinesisMetrics = context.metricGroup().addGroup("kinesis");
        ShardActivity activity = new ShardActivity(System::currentTimeMillis);
        kinesisMetrics.gauge("millisBehindLatest", activity::maxMillisBehindLatest);

        FutureCompletingBlockingQueue<RecordsWithSplitIds<Record>> queue = new FutureCompletingBlockingQueue<>();
        SingleThreadFetcherManager<Record, KinesisShardSplit> fetchers = new SingleThreadFetcherManager<>(queue,
                () -> new PacedShardSplitReader(activity.observe(createProxy(sourceConfig)), activity,
                        emptyFetchIntervalMillis, System::currentTimeMillis, kinesisMetrics),
                sourceConfig);
        return new KinesisStreamsSourceReader<>(queue, fetchers, new KinesisStreamsRecordEmitter<>(schema),
                sourceConfig, context);
    }

    /** The connector's proxy on a Kinesis client, built as connector 4.3.0 builds it for its own reader. */
    static StreamProxy createProxy(Configuration sourceConfig) {
        SdkHttpClient http = AWSGeneralUtil.createSyncHttpClient(AttributeMap.builder().build(),
                ApacheHttpClient.builder());
        Properties properties = new Properties();
        sourceConfig.addAllToProperties(properties);
        AWSGeneralUtil.validateAwsCredentials(properties);
        KinesisClient client = AWSClientUtil.createAwsSyncClient(properties, http, KinesisClient.builder(),
                KinesisStreamsConfigConstants.BASE_KINESIS_USER_AGENT_PREFIX_FORMAT,
                KinesisStreamsConfigConstants.KINESIS_CLIENT_USER_AGENT_PREFIX);
        return new KinesisStreamProxy(client, http);
    }

    @Override
    public SplitEnumerator<KinesisShardSplit, KinesisStreamsSourceEnumeratorState> createEnumerator(
            SplitEnumeratorContext<KinesisShardSplit> context) throws Exception {
        return connector.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<KinesisShardSplit, KinesisStreamsSourceEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<KinesisShardSplit> context, KinesisStreamsSourceEnumeratorState state)
            throws Exception {
        return connector.restoreEnumerator(context, state);
    }

    @Override
    public SimpleVersionedSerializer<KinesisShardSplit> getSplitSerializer() {
        return connector.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KinesisStreamsSourceEnumeratorState> getEnumeratorCheckpointSerializer() {
        return connector.getEnumeratorCheckpointSerializer();
    }
}
