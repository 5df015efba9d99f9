package io.logflow.source.kinesis;

import io.logflow.config.ConfigException;
import io.logflow.config.Settings;
import io.logflow.source.kinesis.KinesisOptions.Credentials;
import io.logflow.source.kinesis.KinesisOptions.InitialPosition;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigConstants;
import org.apache.flink.streaming.connectors.kinesis.config.AWSConfigConstants;

import java.io.Serializable;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kinesis source's configuration, read once from {@link Settings} and validated: a bad value stops the job with one
 * line naming the key. Serializable, so operators can carry it.
 */
public final class KinesisConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** {@code arn:<partition>:kinesis:<region>:<account>:stream/<name>}. */
    private static final Pattern STREAM_ARN = Pattern.compile(
            "arn:aws[a-z-]*:kinesis:([a-z0-9-]+):(\\d{12}):stream/([A-Za-z0-9_.-]{1,128})");

    public final String streamArn;
    public final String region;
    /** Null: the region's AWS endpoint. */
    public final String endpoint;
    public final Credentials credentials;
    /** Set with {@link Credentials#STATIC} only. */
    public final String accessKey;
    public final String secretKey;
    public final InitialPosition initialPosition;
    /** Set with {@link InitialPosition#AT_TIMESTAMP} only. */
    public final Instant initialTimestamp;
    public final int maxDecompressedBytes;
    public final Duration maxOutOfOrderness;
    public final Duration idleness;
    public final Duration multilineFlushTimeout;
    public final Duration shardDiscoveryInterval;
    public final Duration emptyFetchInterval;

    private KinesisConfig(Builder b) {
        streamArn = b.streamArn;
        region = b.region;
        endpoint = b.endpoint;
        credentials = b.credentials;
        accessKey = b.accessKey;
        secretKey = b.secretKey;
        initialPosition = b.initialPosition;
        initialTimestamp = b.initialTimestamp;
        maxDecompressedBytes = b.maxDecompressedBytes;
        maxOutOfOrderness = b.maxOutOfOrderness;
        idleness = b.idleness;
        multilineFlushTimeout = b.multilineFlushTimeout;
        shardDiscoveryInterval = b.shardDiscoveryInterval;
        emptyFetchInterval = b.emptyFetchInterval;
    }

    /** Reads and checks every {@code kinesis.*} key; requires {@code kinesis.stream-arn}. */
    public static KinesisConfig from(Settings s) {
        Builder b = new Builder();
        b.streamArn = s.getRequired(KinesisOptions.STREAM_ARN).trim();
        Matcher arn = STREAM_ARN.matcher(b.streamArn);
        if (!arn.matches()) {
            throw new ConfigException(KinesisOptions.STREAM_ARN.key() + ": expected a stream ARN such as "
                    + "arn:aws:kinesis:eu-west-1:123456789012:stream/logs, got '" + b.streamArn + "'");
        }
        b.region = arn.group(1);
        if (s.isSet(KinesisOptions.REGION)) {
            String region = s.getRequired(KinesisOptions.REGION).trim();
            if (!region.equals(b.region)) {
                throw new ConfigException(KinesisOptions.REGION.key() + ": '" + region + "' differs from the region"
                        + " of " + KinesisOptions.STREAM_ARN.key() + " ('" + b.region + "'); leave it unset or make"
                        + " them agree");
            }
        }
        if (s.isSet(KinesisOptions.ENDPOINT)) {
            b.endpoint = endpoint(s.getRequired(KinesisOptions.ENDPOINT).trim());
        }

        b.credentials = s.get(KinesisOptions.CREDENTIALS);
        if (b.credentials == Credentials.STATIC) {
            b.accessKey = s.getRequired(KinesisOptions.ACCESS_KEY);
            b.secretKey = s.getRequired(KinesisOptions.SECRET_KEY);
        } else if (s.isSet(KinesisOptions.ACCESS_KEY) || s.isSet(KinesisOptions.SECRET_KEY)) {
            throw new ConfigException(KinesisOptions.ACCESS_KEY.key() + "/" + KinesisOptions.SECRET_KEY.key()
                    + ": only used with " + KinesisOptions.CREDENTIALS.key() + "=static, which is not set");
        }

        b.initialPosition = s.get(KinesisOptions.INITIAL_POSITION);
        if (b.initialPosition == InitialPosition.AT_TIMESTAMP) {
            String text = s.getRequired(KinesisOptions.INITIAL_TIMESTAMP).trim();
            try {
                b.initialTimestamp = Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new ConfigException(KinesisOptions.INITIAL_TIMESTAMP.key()
                        + ": expected an ISO-8601 instant such as 2026-11-23T08:00:00Z, got '" + text + "'");
            }
        } else if (s.isSet(KinesisOptions.INITIAL_TIMESTAMP)) {
            throw new ConfigException(KinesisOptions.INITIAL_TIMESTAMP.key() + ": only used with "
                    + KinesisOptions.INITIAL_POSITION.key() + "=AT_TIMESTAMP, not " + b.initialPosition);
        }

        MemorySize cap = s.getRequired(KinesisOptions.MAX_DECOMPRESSED_BYTES);
        if (cap.getBytes() < 1024 || cap.getBytes() > Integer.MAX_VALUE) {
            throw new ConfigException(KinesisOptions.MAX_DECOMPRESSED_BYTES.key()
                    + ": expected a size between 1 kb and 2 gb, got '" + cap.toHumanReadableString() + "'");
        }
        b.maxDecompressedBytes = (int) cap.getBytes();
        b.maxOutOfOrderness = s.getRequired(KinesisOptions.MAX_OUT_OF_ORDERNESS);
        if (b.maxOutOfOrderness.isNegative()) {
            throw new ConfigException(KinesisOptions.MAX_OUT_OF_ORDERNESS.key()
                    + ": expected zero or a positive duration, got '" + b.maxOutOfOrderness + "'");
        }
        b.idleness = s.getPositiveDuration(KinesisOptions.IDLENESS);
        b.multilineFlushTimeout = s.getRequired(KinesisOptions.MULTILINE_FLUSH_TIMEOUT);
        if (b.multilineFlushTimeout.isNegative()) {
            throw new ConfigException(KinesisOptions.MULTILINE_FLUSH_TIMEOUT.key()
                    + ": expected zero or a positive duration, got '" + b.multilineFlushTimeout + "'");
        }
        b.shardDiscoveryInterval = s.getPositiveDuration(KinesisOptions.SHARD_DISCOVERY_INTERVAL);
        b.emptyFetchInterval = s.getRequired(KinesisOptions.EMPTY_FETCH_INTERVAL);
        if (b.emptyFetchInterval.isNegative() || b.emptyFetchInterval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new ConfigException(KinesisOptions.EMPTY_FETCH_INTERVAL.key()
                    + ": expected a duration from 0 s to 1 min, got '" + b.emptyFetchInterval + "'");
        }
        return new KinesisConfig(b);
    }

    private static String endpoint(String value) {
        try {
            URI uri = new URI(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return value;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new ConfigException(KinesisOptions.ENDPOINT.key()
                + ": expected an http(s) URL such as http://127.0.0.1:4568, got '" + value + "'");
    }

    /** The stream's name, the last part of its ARN. */
    public String streamName() {
        return streamArn.substring(streamArn.indexOf(":stream/") + ":stream/".length());
    }

    /** The configuration of flink-connector-kinesis's {@code KinesisStreamsSource}. */
    public Configuration sourceConfiguration() {
        Configuration conf = new Configuration();
        conf.setString(AWSConfigConstants.AWS_REGION, region);
        if (endpoint != null) {
            conf.setString(AWSConfigConstants.AWS_ENDPOINT, endpoint);
        }
        String provider = AWSConfigConstants.AWS_CREDENTIALS_PROVIDER;
        if (credentials == Credentials.STATIC) {
            conf.setString(provider, "BASIC");
            conf.setString(AWSConfigConstants.accessKeyId(provider), accessKey);
            conf.setString(AWSConfigConstants.secretKey(provider), secretKey);
        } else {
            conf.setString(provider, "AUTO");
        }
        conf.set(KinesisStreamsSourceConfigConstants.STREAM_INITIAL_POSITION,
                KinesisStreamsSourceConfigConstants.InitialPosition.valueOf(initialPosition.name()));
        if (initialTimestamp != null) {
            // The connector tries its date pattern first, then reads epoch seconds; seconds lose no precision.
            conf.set(KinesisStreamsSourceConfigConstants.STREAM_INITIAL_TIMESTAMP,
                    BigDecimal.valueOf(initialTimestamp.toEpochMilli(), 3).toPlainString());
        }
        conf.set(KinesisStreamsSourceConfigConstants.SHARD_DISCOVERY_INTERVAL_MILLIS,
                shardDiscoveryInterval.toMillis());
        return conf;
    }

    @Override
    public String toString() {
        return "KinesisConfig{" + streamArn + ", region=" + region + (endpoint != null ? ", endpoint=" + endpoint : "")
                + ", credentials=" + credentials + ", initialPosition=" + initialPosition
                + (initialTimestamp != null ? " " + initialTimestamp : "") + ", maxDecompressedBytes="
                + maxDecompressedBytes + ", maxOutOfOrderness=" + maxOutOfOrderness + ", idleness=" + idleness
                + ", multilineFlushTimeout=" + multilineFlushTimeout + ", emptyFetchInterval=" + emptyFetchInterval + '}';
    }

    private static final class Builder {
        String streamArn;
        String region;
        String endpoint;
        Credentials credentials;
        String accessKey;
        String secretKey;
        InitialPosition initialPosition;
        Instant initialTimestamp;
        int maxDecompressedBytes;
        Duration maxOutOfOrderness;
        Duration idleness;
        Duration multilineFlushTimeout;
        Duration shardDiscoveryInterval;
        Duration emptyFetchInterval;
    }
}
