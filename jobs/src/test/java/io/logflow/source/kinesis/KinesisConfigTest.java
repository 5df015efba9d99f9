package io.logflow.source.kinesis;

import io.logflow.config.ConfigException;
import io.logflow.config.Settings;
import io.logflow.source.kinesis.KinesisOptions.Credentials;
import io.logflow.source.kinesis.KinesisOptions.InitialPosition;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigUtil;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KinesisConfigTest {
    private static final String ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/cloudwatch-logs";

    private static KinesisConfig config(String... keyValues) {
        Map<String, String> values = new HashMap<>();
        values.put("kinesis.stream-arn", ARN);
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) {
                values.remove(keyValues[i]);
            } else {
                values.put(keyValues[i], keyValues[i + 1]);
            }
        }
        return KinesisConfig.from(Settings.of(values, KinesisOptions.all()));
    }

    @Test
    void onlyTheStreamArnIsRequiredAndTheRegionComesFromIt() {
        KinesisConfig c = config();

        assertThat(c.streamArn).isEqualTo(ARN);
        assertThat(c.streamName()).isEqualTo("cloudwatch-logs");
        assertThat(c.region).isEqualTo("eu-west-1");
        assertThat(c.endpoint).isNull();
        assertThat(c.credentials).isEqualTo(Credentials.DEFAULT);
        assertThat(c.initialPosition).isEqualTo(InitialPosition.LATEST);
        assertThat(c.maxDecompressedBytes).isEqualTo(4 * 1024 * 1024);
        assertThat(c.maxOutOfOrderness).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.idleness).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.multilineFlushTimeout).isEqualTo(Duration.ofMillis(500));
        assertThat(c.shardDiscoveryInterval).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.emptyFetchInterval).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void emptyFetchIntervalIsFromZeroToAMinute() {
        assertThat(config("kinesis.empty-fetch-interval", "0 s").emptyFetchInterval).isZero();
        assertThat(config("kinesis.empty-fetch-interval", "1 min").emptyFetchInterval)
                .isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> config("kinesis.empty-fetch-interval", "61 s"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("kinesis.empty-fetch-interval: expected a duration from 0 s to 1 min");
        assertThatThrownBy(() -> config("kinesis.empty-fetch-interval", "soon"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("kinesis.empty-fetch-interval");
    }

    @Test
    void missingStreamArnNamesTheKey() {
        assertThatThrownBy(() -> config("kinesis.stream-arn", null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("kinesis.stream-arn: required");
    }

    @Test
    void somethingThatIsNotAStreamArnIsRejected() {
        assertThatThrownBy(() -> config("kinesis.stream-arn", "cloudwatch-logs"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("kinesis.stream-arn: expected a stream ARN");
        assertThatThrownBy(() -> config("kinesis.stream-arn", "arn:aws:sqs:eu-west-1:123456789012:queue"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("kinesis.stream-arn:");
    }

    @Test
    void aRegionThatContradictsTheArnIsRejected() {
        assertThat(config("kinesis.region", "eu-west-1").region).isEqualTo("eu-west-1");
        assertThatThrownBy(() -> config("kinesis.region", "us-east-1"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("kinesis.region:");
    }

    @Test
    void endpointMustBeAnHttpUrl() {
        assertThat(config("kinesis.endpoint", "http://127.0.0.1:4568").endpoint).isEqualTo("http://127.0.0.1:4568");
        assertThatThrownBy(() -> config("kinesis.endpoint", "127.0.0.1:4568"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("kinesis.endpoint:");
    }

    @Test
    void staticCredentialsNeedBothKeysAndAcceptLowerCase() {
        KinesisConfig c = config("kinesis.credentials", "static", "kinesis.access-key", "AK",
                "kinesis.secret-key", "SK");
        assertThat(c.credentials).isEqualTo(Credentials.STATIC);
        assertThat(c.accessKey).isEqualTo("AK");
        assertThat(c.toString()).doesNotContain("SK");

        assertThatThrownBy(() -> config("kinesis.credentials", "static", "kinesis.access-key", "AK"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("kinesis.secret-key: required");
        assertThatThrownBy(() -> config("kinesis.credentials", "sometimes"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kinesis.credentials")
                .hasMessageContaining("STATIC");
    }

    @Test
    void keysWithoutStaticCredentialsAreAMistake() {
        assertThatThrownBy(() -> config("kinesis.access-key", "AK", "kinesis.secret-key", "SK"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kinesis.credentials=static");
    }

    @Test
    void atTimestampNeedsAnIsoInstantAndOnlyIt() {
        KinesisConfig c = config("kinesis.initial-position", "at_timestamp",
                "kinesis.initial-timestamp", "2026-11-23T08:00:00.250Z");
        assertThat(c.initialTimestamp).isEqualTo(Instant.parse("2026-11-23T08:00:00.250Z"));

        assertThatThrownBy(() -> config("kinesis.initial-position", "AT_TIMESTAMP"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("kinesis.initial-timestamp: required");
        assertThatThrownBy(() -> config("kinesis.initial-position", "AT_TIMESTAMP",
                "kinesis.initial-timestamp", "yesterday"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("kinesis.initial-timestamp: expected");
        assertThatThrownBy(() -> config("kinesis.initial-timestamp", "2026-11-23T08:00:00Z"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("kinesis.initial-timestamp: only used");
    }

    @Test
    void decompressionCapIsASizeWithinBounds() {
        assertThat(config("kinesis.max-decompressed-bytes", "64 kb").maxDecompressedBytes).isEqualTo(65536);
        assertThatThrownBy(() -> config("kinesis.max-decompressed-bytes", "10 b"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("kinesis.max-decompressed-bytes:");
        assertThatThrownBy(() -> config("kinesis.max-decompressed-bytes", "3 gb"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("kinesis.max-decompressed-bytes:");
    }

    @Test
    void durationsMustBePositive() {
        assertThatThrownBy(() -> config("kinesis.idleness", "0 s"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("kinesis.idleness:");
        assertThatThrownBy(() -> config("kinesis.shard-discovery-interval", "-1 s"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("kinesis.shard-discovery-interval:");
        assertThat(config("kinesis.max-out-of-orderness", "0 s").maxOutOfOrderness).isZero();
        assertThat(config("kinesis.multiline-flush-timeout", "0 s").multilineFlushTimeout).isZero();
        assertThatThrownBy(() -> config("kinesis.multiline-flush-timeout", "-1 ms"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("kinesis.multiline-flush-timeout:");
    }

    @Test
    void sourceConfigurationUsesTheConnectorsKeys() {
        Configuration conf = config("kinesis.endpoint", "http://127.0.0.1:4568", "kinesis.credentials", "static",
                "kinesis.access-key", "AK", "kinesis.secret-key", "SK", "kinesis.initial-position", "AT_TIMESTAMP",
                "kinesis.initial-timestamp", "2026-11-23T08:00:00.250Z", "kinesis.shard-discovery-interval", "1 s")
                .sourceConfiguration();

        assertThat(conf.toMap()).containsEntry("aws.region", "eu-west-1")
                .containsEntry("aws.endpoint", "http://127.0.0.1:4568")
                .containsEntry("aws.credentials.provider", "BASIC")
                .containsEntry("aws.credentials.provider.basic.accesskeyid", "AK")
                .containsEntry("aws.credentials.provider.basic.secretkey", "SK")
                .containsEntry("flink.stream.initpos", "AT_TIMESTAMP")
                .containsEntry("flink.shard.discovery.intervalmillis", "1000");
        // The start instant as the connector itself will read it back.
        assertThat(KinesisStreamsSourceConfigUtil.parseStreamTimestampStartingPosition(conf).toInstant())
                .isEqualTo(Instant.parse("2026-11-23T08:00:00.250Z"));
        assertThat(config().sourceConfiguration().toMap()).containsEntry("aws.credentials.provider", "AUTO")
                .containsEntry("flink.stream.initpos", "LATEST")
                .doesNotContainKey("aws.endpoint");
    }

    @Test
    void configSurvivesJavaSerialization() throws Exception {
        KinesisConfig c = config("kinesis.initial-position", "TRIM_HORIZON");

        KinesisConfig copy = InstantiationUtil.deserializeObject(
                InstantiationUtil.serializeObject(c), getClass().getClassLoader());

        assertThat(copy.toString()).isEqualTo(c.toString());
    }
}
