package io.logflow.source.kinesis;

import io.logflow.decode.CloudWatchDecoder;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

import java.time.Duration;
import java.util.List;

/** Options of the Kinesis source, which reads CloudWatch Logs subscription payloads. */
public final class KinesisOptions {
    private KinesisOptions() {}

    /** Where the source finds AWS credentials. */
    public enum Credentials {
        /** The AWS default chain: environment, system properties, profile, container or instance role. */
        DEFAULT,
        /** {@code kinesis.access-key} and {@code kinesis.secret-key}: for local emulators and tests. */
        STATIC
    }

    /** Where the source starts reading a shard when the job starts without a checkpoint. */
    public enum InitialPosition {
        /** Records written after the job started. */
        LATEST,
        /** The oldest record the stream still keeps. */
        TRIM_HORIZON,
        /** Records written at or after {@code kinesis.initial-timestamp}. */
        AT_TIMESTAMP
    }

    public static final ConfigOption<String> STREAM_ARN = ConfigOptions.key("kinesis.stream-arn")
            .stringType()
            .noDefaultValue()
            .withDescription("ARN of the Kinesis stream the CloudWatch Logs subscription filters write to, e.g. "
                    + "arn:aws:kinesis:eu-west-1:123456789012:stream/logs; unset turns the Kinesis source off.");

    public static final ConfigOption<String> REGION = ConfigOptions.key("kinesis.region")
            .stringType()
            .noDefaultValue()
            .withDescription("AWS region of the stream; unset takes the region from the stream ARN.");

    public static final ConfigOption<String> ENDPOINT = ConfigOptions.key("kinesis.endpoint")
            .stringType()
            .noDefaultValue()
            .withDescription("Kinesis endpoint URL, e.g. http://127.0.0.1:4568 for a local emulator; "
                    + "unset uses the region's AWS endpoint.");

    public static final ConfigOption<Credentials> CREDENTIALS = ConfigOptions.key("kinesis.credentials")
            .enumType(Credentials.class)
            .defaultValue(Credentials.DEFAULT)
            .withDescription("'default' uses the AWS default credentials chain (production); 'static' uses "
                    + "kinesis.access-key and kinesis.secret-key.");

    public static final ConfigOption<String> ACCESS_KEY = ConfigOptions.key("kinesis.access-key")
            .stringType()
            .noDefaultValue()
            .withDescription("AWS access key id, with kinesis.credentials=static.");

    public static final ConfigOption<String> SECRET_KEY = ConfigOptions.key("kinesis.secret-key")
            .stringType()
            .noDefaultValue()
            .withDescription("AWS secret access key, with kinesis.credentials=static "
                    + "(prefer LOGFLOW_KINESIS_SECRET_KEY over an argument).");

    public static final ConfigOption<InitialPosition> INITIAL_POSITION = ConfigOptions.key("kinesis.initial-position")
            .enumType(InitialPosition.class)
            .defaultValue(InitialPosition.LATEST)
            .withDescription("Where to start reading when the job starts without a checkpoint or savepoint: "
                    + "LATEST, TRIM_HORIZON (everything the stream keeps) or AT_TIMESTAMP.");

    public static final ConfigOption<String> INITIAL_TIMESTAMP = ConfigOptions.key("kinesis.initial-timestamp")
            .stringType()
            .noDefaultValue()
            .withDescription("ISO-8601 instant to start from with kinesis.initial-position=AT_TIMESTAMP, "
                    + "e.g. 2026-11-23T08:00:00Z.");

    public static final ConfigOption<MemorySize> MAX_DECOMPRESSED_BYTES =
            ConfigOptions.key("kinesis.max-decompressed-bytes")
                    .memoryType()
                    .defaultValue(MemorySize.parse(CloudWatchDecoder.DEFAULT_MAX_DECOMPRESSED_BYTES + "b"))
                    .withDescription("Most bytes one Kinesis record may inflate to; a record over it becomes a "
                            + "'decompressed_too_large' failure (CloudWatch sends at most 1 MB compressed).");

    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS = ConfigOptions.key("kinesis.max-out-of-orderness")
            .durationType()
            .defaultValue(Duration.ofMinutes(1))
            .withDescription("Unused since the job keys CloudWatch events by routing key right after decoding "
                    + "(the windowed metrics have their own event time, metrics.*); accepted so that existing "
                    + "configurations start.");

    public static final ConfigOption<Duration> IDLENESS = ConfigOptions.key("kinesis.idleness")
            .durationType()
            .defaultValue(Duration.ofMinutes(1))
            .withDescription("Unused, like kinesis.max-out-of-orderness; accepted so that existing configurations "
                    + "start.");

    public static final ConfigOption<Duration> MULTILINE_FLUSH_TIMEOUT =
            ConfigOptions.key("kinesis.multiline-flush-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMillis(500))
                    .withDescription("How long the last event of a log stream waits for a continuation line (a stack "
                            + "trace split between two payloads) before it goes on alone. It delays that event by "
                            + "as much; 0 s joins only within a payload.");

    public static final ConfigOption<Duration> SHARD_DISCOVERY_INTERVAL =
            ConfigOptions.key("kinesis.shard-discovery-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("How often to look for new shards (after a resharding).");

    public static final ConfigOption<Duration> EMPTY_FETCH_INTERVAL =
            ConfigOptions.key("kinesis.empty-fetch-interval")
                    .durationType()
                    .defaultValue(Duration.ofMillis(250))
                    .withDescription("How long a shard whose last GetRecords call returned nothing waits before it is "
                            + "polled again (0 s to 1 min; 0 s polls idle shards without pause). Every GetRecords "
                            + "call counts against the 5 per second and shard that all consumers share.");

    /** Every option above, for the job's list of known keys. */
    public static List<ConfigOption<?>> all() {
        return List.of(STREAM_ARN, REGION, ENDPOINT, CREDENTIALS, ACCESS_KEY, SECRET_KEY, INITIAL_POSITION,
                INITIAL_TIMESTAMP, MAX_DECOMPRESSED_BYTES, MAX_OUT_OF_ORDERNESS, IDLENESS, MULTILINE_FLUSH_TIMEOUT,
                SHARD_DISCOVERY_INTERVAL, EMPTY_FETCH_INTERVAL);
    }
}
