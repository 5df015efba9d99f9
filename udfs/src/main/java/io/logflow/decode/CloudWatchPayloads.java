package io.logflow.decode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes CloudWatch Logs subscription payloads the way CloudWatch does (gzip-compressed JSON envelopes): the inverse
 * of {@link CloudWatchDecoder}. For tests, the Kinesis fixtures and the demo's sample data; concatenating the outputs
 * of {@link #dataMessage} gives the Firehose-to-S3 form.
 */
public final class CloudWatchPayloads {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CloudWatchPayloads() {}

    /** One log event of an envelope. */
    public record LogEvent(String id, long timestamp, String message) {}

    /** The JSON of a DATA_MESSAGE envelope, with the extra fields real ones carry. */
    public static String dataMessageJson(String owner, String logGroup, String logStream, List<LogEvent> events) {
        ObjectNode envelope = MAPPER.createObjectNode();
        envelope.put("messageType", CloudWatchDecoder.DATA_MESSAGE);
        envelope.put("owner", owner);
        envelope.put("logGroup", logGroup);
        envelope.put("logStream", logStream);
        envelope.putArray("subscriptionFilters").add("logflow");
        ArrayNode entries = envelope.putArray("logEvents");
        for (LogEvent e : events) {
            entries.addObject().put("id", e.id()).put("timestamp", e.timestamp()).put("message", e.message());
        }
        envelope.put("policyLevel", "ACCOUNT_LEVEL_POLICY");
        return envelope.toString();
    }

    /** A gzip-compressed DATA_MESSAGE: one Kinesis record as a subscription filter writes it. */
    public static byte[] dataMessage(String owner, String logGroup, String logStream, List<LogEvent> events) {
        return gzip(dataMessageJson(owner, logGroup, logStream, events));
    }

    /** The health check CloudWatch sends when a subscription is created; carries no log data. */
    public static byte[] controlMessage(long timestamp) {
        ObjectNode envelope = MAPPER.createObjectNode();
        envelope.put("messageType", CloudWatchDecoder.CONTROL_MESSAGE);
        envelope.put("owner", "CloudwatchLogs");
        envelope.put("logGroup", "");
        envelope.put("logStream", "");
        envelope.putArray("subscriptionFilters");
        envelope.putArray("logEvents").addObject()
                .put("id", "")
                .put("timestamp", timestamp)
                .put("message", "CWL CONTROL MESSAGE: Checking health of destination Kinesis stream.");
        return gzip(envelope.toString());
    }

    /**
     * A CloudWatch-style event id: CloudWatch uses 56 decimal digits; this one is derived from the stream and the
     * event's position, so test data is reproducible.
     */
    public static String eventId(long timestamp, int streamNumber, int index) {
        return String.format("%020d%018d%018d", timestamp, streamNumber, index);
    }

    public static byte[] gzip(String text) {
        return gzip(text.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen in memory
        }
        return out.toByteArray();
    }
}
