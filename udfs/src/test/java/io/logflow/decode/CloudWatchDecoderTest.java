package io.logflow.decode;

import io.logflow.decode.CloudWatchPayloads.LogEvent;
import io.logflow.model.EventIds;
import io.logflow.model.Failure;
import io.logflow.model.FailureStage;
import io.logflow.model.RawLog;
import io.logflow.model.SourceKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static io.logflow.decode.CloudWatchPayloads.gzip;
import static org.assertj.core.api.Assertions.assertThat;

class CloudWatchDecoderTest {
    private static final String OWNER = "123456789012";
    private static final String GROUP = "/aws/lambda/checkout";
    private static final String STREAM = "2026/11/23/[$LATEST]0123456789abcdef";
    private static final int MAX_RAW = 64;
    private static final long RECEIVED = 1_790_000_000_000L;

    private final CloudWatchDecoder decoder = new CloudWatchDecoder(1024 * 1024, MAX_RAW);

    private static List<LogEvent> events(int n) {
        List<LogEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long ts = 1_700_000_000_000L + i;
            out.add(new LogEvent(CloudWatchPayloads.eventId(ts, 1, i), ts, "message " + i));
        }
        return out;
    }

    private static byte[] data(int n) {
        return CloudWatchPayloads.dataMessage(OWNER, GROUP, STREAM, events(n));
    }

    private static List<String> reasons(DecodeResult r) {
        return r.failures().stream().map(f -> f.reason).collect(Collectors.toList());
    }

    @Test
    void dataMessageGivesOneRawLogPerEventWithItsCloudWatchCoordinates() {
        List<LogEvent> sent = events(3);
        DecodeResult r = decoder.decode(CloudWatchPayloads.dataMessage(OWNER, GROUP, STREAM, sent), RECEIVED);

        assertThat(r.failures()).isEmpty();
        assertThat(r.dataMessages()).isEqualTo(1);
        assertThat(r.events()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            RawLog e = r.events().get(i);
            assertThat(e.source).isEqualTo(SourceKind.CLOUDWATCH);
            assertThat(e.owner).isEqualTo(OWNER);
            assertThat(e.logGroup).isEqualTo(GROUP);
            assertThat(e.logStream).isEqualTo(STREAM);
            assertThat(e.cloudwatchId).isEqualTo(sent.get(i).id());
            assertThat(e.sourceTime).isEqualTo(sent.get(i).timestamp());
            assertThat(e.text).isEqualTo(sent.get(i).message());
            assertThat(e.receiveTime).isEqualTo(RECEIVED);
            assertThat(e.routingKey).isEqualTo(OWNER + "/" + GROUP);
            assertThat(e.eventId).isEqualTo(EventIds.of("cloudwatch", OWNER, GROUP, sent.get(i).id()));
            assertThat(e.error).isNull();
        }
    }

    @Test
    void reReadingAPayloadGivesTheSameEventIds() {
        byte[] payload = data(5);
        List<String> first = decoder.decode(payload, 1).events().stream().map(e -> e.eventId).toList();
        List<String> second = new CloudWatchDecoder().decode(payload, 2).events().stream().map(e -> e.eventId).toList();

        assertThat(first).hasSize(5).doesNotHaveDuplicates().isEqualTo(second);
    }

    @Test
    void controlMessageIsCountedAndEmitsNothing() {
        DecodeResult r = decoder.decode(CloudWatchPayloads.controlMessage(1_700_000_000_000L), RECEIVED);

        assertThat(r.controlMessages()).isEqualTo(1);
        assertThat(r.events()).isEmpty();
        assertThat(r.failures()).isEmpty();
    }

    @Test
    void bytesThatAreNotGzipBecomeANotGzipFailureWithTheRawBytesBounded() {
        byte[] payload = "just some plain text that nobody compressed, longer than the raw limit of the failure"
                .getBytes(StandardCharsets.UTF_8);
        DecodeResult r = decoder.decode(payload, RECEIVED);

        assertThat(r.events()).isEmpty();
        assertThat(r.failures()).hasSize(1);
        Failure f = r.failures().get(0);
        assertThat(f.reason).isEqualTo(DecodeReasons.NOT_GZIP);
        assertThat(f.stage).isEqualTo(FailureStage.DECODE);
        assertThat(f.source).isEqualTo(SourceKind.CLOUDWATCH);
        assertThat(f.rawSize).isEqualTo(payload.length);
        assertThat(f.raw).isEqualTo(Arrays.copyOf(payload, MAX_RAW));
        assertThat(f.time).isEqualTo(RECEIVED);
        assertThat(f.failureId).isNotBlank();
    }

    @Test
    void emptyRecordIsANotGzipFailure() {
        assertThat(reasons(decoder.decode(new byte[0], RECEIVED))).containsExactly(DecodeReasons.NOT_GZIP);
        assertThat(reasons(decoder.decode(null, RECEIVED))).containsExactly(DecodeReasons.NOT_GZIP);
    }

    @Test
    void gzipCutOffAtAnyPointBecomesATruncatedGzipFailureWithoutEvents() {
        byte[] payload = data(4);
        for (int length = 2; length < payload.length; length++) {
            DecodeResult r = decoder.decode(Arrays.copyOf(payload, length), RECEIVED);
            assertThat(reasons(r)).as("cut at %d of %d", length, payload.length)
                    .containsExactly(DecodeReasons.TRUNCATED_GZIP);
            assertThat(r.events()).isEmpty();
        }
    }

    @Test
    void gzipWithAWrongChecksumBecomesACorruptGzipFailure() {
        byte[] payload = data(2);
        payload[payload.length - 6] ^= 0x55; // inside the CRC-32 of the trailer

        DecodeResult r = decoder.decode(payload, RECEIVED);

        assertThat(reasons(r)).containsExactly(DecodeReasons.CORRUPT_GZIP);
        assertThat(r.events()).isEmpty();
    }

    @Test
    void payloadInflatingPastTheCapBecomesATooLargeFailure() {
        String json = CloudWatchPayloads.dataMessageJson(OWNER, GROUP, STREAM, events(20));
        int size = json.getBytes(StandardCharsets.UTF_8).length;

        DecodeResult exact = new CloudWatchDecoder(size, MAX_RAW).decode(gzip(json), RECEIVED);
        DecodeResult over = new CloudWatchDecoder(size - 1, MAX_RAW).decode(gzip(json), RECEIVED);

        assertThat(exact.failures()).isEmpty();
        assertThat(exact.events()).hasSize(20);
        assertThat(exact.decompressedBytes()).isEqualTo(size);
        assertThat(reasons(over)).containsExactly(DecodeReasons.DECOMPRESSED_TOO_LARGE);
        assertThat(over.events()).isEmpty();
    }

    /**
     * 1 GiB of message text in 1 MiB gzip members (about 1 MB compressed): decoding must stop at the cap, allocating
     * a few times the cap at most instead of anything like the bomb's size.
     */
    @Test
    void oneGigabyteGzipBombHitsTheCapWithFlatMemory() {
        int cap = CloudWatchDecoder.DEFAULT_MAX_DECOMPRESSED_BYTES;
        byte[] mebibyteOfA = new byte[1 << 20];
        Arrays.fill(mebibyteOfA, (byte) 'A');
        byte[] member = gzip(mebibyteOfA);
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        bomb.writeBytes(gzip("{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"1\",\"logGroup\":\"g\",\"logStream\":\"s\","
                + "\"logEvents\":[{\"id\":\"1\",\"timestamp\":1,\"message\":\""));
        for (int i = 0; i < 1024; i++) {
            bomb.writeBytes(member);
        }
        bomb.writeBytes(gzip("\"}]}"));
        byte[] payload = bomb.toByteArray();

        CloudWatchDecoder capped = new CloudWatchDecoder(cap, MAX_RAW);
        capped.decode(data(1), RECEIVED); // warm up: class loading and buffers are not the bomb's cost
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        DecodeResult r = capped.decode(payload, RECEIVED);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        long millis = (System.nanoTime() - start) / 1_000_000;

        System.out.printf("gzip bomb: %d bytes compressed, 1 GiB inflated; decoder read %d bytes, allocated %d MB"
                + " in %d ms%n", payload.length, r.decompressedBytes(), allocated >> 20, millis);
        assertThat(reasons(r)).containsExactly(DecodeReasons.DECOMPRESSED_TOO_LARGE);
        assertThat(r.decompressedBytes()).isBetween((long) cap, (long) cap + 1);
        assertThat(allocated).isLessThan(16L * cap);
    }

    /**
     * A gzip of zeros is invalid JSON at its first byte; what it inflates to is checked first, so past the cap it is
     * {@code decompressed_too_large}, not {@code invalid_json}. 300 MB of zeros (about 300 KB compressed, streamed
     * into gzip here, never held) against the 4 MB Kinesis cap shows what 1 GiB would.
     */
    @Test
    void gzipOfZerosPastTheCapIsTooLargeNotInvalidJson() throws Exception {
        int cap = CloudWatchDecoder.DEFAULT_MAX_DECOMPRESSED_BYTES;
        long zeros = 300L << 20;
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(compressed, 1 << 16)) {
            byte[] block = new byte[1 << 20];
            for (long written = 0; written < zeros; written += block.length) {
                gz.write(block);
            }
        }
        CloudWatchDecoder kinesis = new CloudWatchDecoder(cap, MAX_RAW);

        DecodeResult r = kinesis.decode(compressed.toByteArray(), RECEIVED);

        assertThat(reasons(r)).containsExactly(DecodeReasons.DECOMPRESSED_TOO_LARGE);
        assertThat(r.decompressedBytes()).isBetween((long) cap, (long) cap + 1);
        assertThat(r.failures().get(0).rawSize).isEqualTo(compressed.size());
        // under the cap, zeros are what they are: not JSON
        assertThat(reasons(kinesis.decode(gzip(new byte[1000]), RECEIVED))).containsExactly(DecodeReasons.INVALID_JSON);
    }

    @Test
    void invalidJsonInACutOffGzipIsATruncatedGzip() {
        byte[] payload = gzip("not json at all, and then more bytes ".repeat(2000));
        assertThat(reasons(decoder.decode(Arrays.copyOf(payload, payload.length / 2), RECEIVED)))
                .containsExactly(DecodeReasons.TRUNCATED_GZIP);
    }

    @Test
    void aTruncatedLastGzipMemberIsATruncatedGzipNotSilence() {
        byte[] first = data(2);
        byte[] second = data(3);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.writeBytes(first);
        payload.writeBytes(Arrays.copyOf(second, 5)); // cut inside the gzip header of the second member

        assertThat(reasons(decoder.decode(payload.toByteArray(), RECEIVED)))
                .containsExactly(DecodeReasons.TRUNCATED_GZIP);
    }

    @Test
    void nulAndLoneSurrogatesInEnvelopeNamesAreMadeStorable() {
        String json = "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"12\\u0000\",\"logGroup\":\"/g\\u0000\","
                + "\"logStream\":\"s\\ud800\",\"logEvents\":[{\"id\":\"1\\u0000\",\"timestamp\":1,\"message\":\"m\"}]}";
        DecodeResult r = decoder.decode(gzip(json), RECEIVED);

        assertThat(r.failures()).isEmpty();
        RawLog e = r.events().get(0);
        assertThat(List.of(e.owner, e.logGroup, e.logStream, e.cloudwatchId, e.routingKey))
                .containsExactly("12\uFFFD", "/g\uFFFD", "s\uFFFD", "1\uFFFD", "12\uFFFD//g\uFFFD");
        assertThat(e.sourceRef()).doesNotContain("\u0000");
    }

    @Test
    void aStreamOfEnvelopesKeepsThoseBeforeADamagedPart() throws Exception {
        String good = CloudWatchPayloads.dataMessageJson(OWNER, GROUP, STREAM, events(2));
        String damaged = "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"1\" \"oops\" " + "x".repeat(500);
        String input = good + "\n" + good + damaged;
        CloudWatchDecoder.EnvelopeStream stream = decoder.envelopes(
                new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), RECEIVED);

        assertThat(stream.next().events()).hasSize(2);
        assertThat(stream.next().events()).hasSize(2);
        DecodeResult last = stream.next();
        assertThat(last.events()).isEmpty();
        assertThat(reasons(last)).containsExactly(DecodeReasons.INVALID_JSON);
        Failure f = last.failures().get(0);
        assertThat(f.rawSize).isEqualTo(damaged.length());
        assertThat(new String(f.raw, StandardCharsets.UTF_8)).isEqualTo(damaged.substring(0, MAX_RAW));
        assertThat(stream.stoppedEarly()).isTrue();
        assertThat(stream.next()).isNull();
    }

    @Test
    void aStreamGivesABadEnvelopeItsOwnBytesAndSize() throws Exception {
        String good = CloudWatchPayloads.dataMessageJson(OWNER, GROUP, STREAM, events(1));
        String unknown = "{\"messageType\":\"SOMETHING\",\"owner\":\"1\",\"pad\":\"" + "p".repeat(300) + "\"}";
        String input = good + unknown + good;
        CloudWatchDecoder.EnvelopeStream stream = decoder.envelopes(
                new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), RECEIVED);

        assertThat(stream.next().events()).hasSize(1);
        DecodeResult bad = stream.next();
        assertThat(reasons(bad)).containsExactly(DecodeReasons.UNKNOWN_MESSAGE_TYPE);
        assertThat(bad.failures().get(0).rawSize).isEqualTo(unknown.length());
        assertThat(new String(bad.failures().get(0).raw, StandardCharsets.UTF_8))
                .isEqualTo(unknown.substring(0, MAX_RAW));
        assertThat(stream.next().events()).hasSize(1);
        assertThat(stream.next()).isNull();
        assertThat(stream.stoppedEarly()).isFalse();
    }

    @Test
    void aStreamPastTheCapThrowsWhatTheCallerCanTell() {
        String good = CloudWatchPayloads.dataMessageJson(OWNER, GROUP, STREAM, events(1));
        byte[] input = (good + good + good).getBytes(StandardCharsets.UTF_8);
        CloudWatchDecoder small = new CloudWatchDecoder(good.length() * 2, MAX_RAW);

        java.io.IOException thrown = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> {
            CloudWatchDecoder.EnvelopeStream stream = small.envelopes(new java.io.ByteArrayInputStream(input), RECEIVED);
            while (stream.next() != null) {
                // the first two envelopes fit
            }
        });
        assertThat(CloudWatchDecoder.exceededCap(thrown)).isTrue();
    }

    @Test
    void gzippedTextThatIsNotJsonBecomesAnInvalidJsonFailure() {
        assertThat(reasons(decoder.decode(gzip("hello, not json"), RECEIVED)))
                .containsExactly(DecodeReasons.INVALID_JSON);
        assertThat(reasons(decoder.decode(gzip(""), RECEIVED))).containsExactly(DecodeReasons.INVALID_JSON);
        assertThat(reasons(decoder.decode(gzip(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}),
                RECEIVED))).containsExactly(DecodeReasons.INVALID_JSON);
    }

    @Test
    void jsonBrokenAfterAGoodEnvelopeFailsTheWholePayload() {
        String good = CloudWatchPayloads.dataMessageJson(OWNER, GROUP, STREAM, events(2));

        DecodeResult r = decoder.decode(gzip(good + "{\"messageType\":"), RECEIVED);

        assertThat(reasons(r)).containsExactly(DecodeReasons.INVALID_JSON);
        assertThat(r.events()).isEmpty();
        assertThat(r.dataMessages()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"messageType", "owner", "logGroup", "logStream", "logEvents"})
    void envelopeWithoutARequiredFieldBecomesAMissingFieldFailure(String field) {
        String json = CloudWatchPayloads.dataMessageJson(OWNER, GROUP, STREAM, events(2));
        String without = json.replaceFirst("\"" + field + "\":(\"[^\"]*\"|\\[.*?\\]\\]?),?", "");
        assertThat(without).doesNotContain("\"" + field + "\"");

        DecodeResult r = decoder.decode(gzip(without), RECEIVED);

        assertThat(reasons(r)).containsExactly(DecodeReasons.MISSING_FIELD);
        assertThat(r.failures().get(0).detail).contains(field);
        assertThat(r.events()).isEmpty();
    }

    @Test
    void unknownMessageTypeBecomesAFailure() {
        String json = CloudWatchPayloads.dataMessageJson(OWNER, GROUP, STREAM, events(2))
                .replace("DATA_MESSAGE", "METRIC_MESSAGE");

        DecodeResult r = decoder.decode(gzip(json), RECEIVED);

        assertThat(reasons(r)).containsExactly(DecodeReasons.UNKNOWN_MESSAGE_TYPE);
        assertThat(r.events()).isEmpty();
    }

    @Test
    void badLogEventsFailOneByOneAndTheirNeighboursGoThrough() {
        String json = "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"1\",\"logGroup\":\"g\",\"logStream\":\"s\","
                + "\"logEvents\":["
                + "{\"id\":\"a\",\"timestamp\":1,\"message\":\"ok\"},"
                + "{\"timestamp\":2,\"message\":\"no id\"},"
                + "{\"id\":\"c\",\"timestamp\":\"yesterday\",\"message\":\"bad time\"},"
                + "{\"id\":\"d\",\"timestamp\":4,\"message\":{\"nested\":true}},"
                + "42,"
                + "{\"id\":\"f\",\"timestamp\":6,\"message\":\"ok too\"}]}";

        DecodeResult r = decoder.decode(gzip(json), RECEIVED);

        assertThat(r.events()).extracting(e -> e.cloudwatchId).containsExactly("a", "f");
        assertThat(r.failures()).extracting(f -> f.reason).containsOnly(DecodeReasons.BAD_LOG_EVENT).hasSize(4);
        assertThat(r.failures()).extracting(f -> f.failureId).doesNotHaveDuplicates();
        assertThat(new String(r.failures().get(0).raw, StandardCharsets.UTF_8)).contains("no id");
    }

    @Test
    void failuresOfOnePayloadAreListedUpToALimitAndTheRestCounted() {
        int bad = 500;
        StringBuilder json = new StringBuilder("{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"1\",\"logGroup\":\"g\","
                + "\"logStream\":\"s\",\"logEvents\":[{\"id\":\"good\",\"timestamp\":1,\"message\":\"m\"}");
        for (int i = 0; i < bad; i++) {
            json.append(",{\"id\":\"x").append(i).append("\"}");
        }
        json.append("]}");

        DecodeResult r = decoder.decode(gzip(json.toString()), RECEIVED);

        int listed = CloudWatchDecoder.MAX_FAILURES_PER_PAYLOAD;
        assertThat(r.events()).hasSize(1);
        assertThat(r.failures()).hasSize(listed + 1);
        assertThat(r.failures().get(listed).detail).startsWith((bad - listed) + " more failures");
    }

    @Test
    void unknownFieldsAndAnyFieldOrderAreAccepted() {
        String json = "{\"policyLevel\":\"ACCOUNT_LEVEL_POLICY\",\"logEvents\":[{\"extractedFields\":{\"a\":[1,2]},"
                + "\"message\":\"m\",\"timestamp\":\"7\",\"id\":\"x\"}],\"logStream\":\"s\",\"future\":{\"x\":[null]},"
                + "\"logGroup\":\"g\",\"owner\":\"1\",\"subscriptionFilters\":[\"f\"],\"messageType\":\"DATA_MESSAGE\"}";

        DecodeResult r = decoder.decode(gzip(json), RECEIVED);

        assertThat(r.failures()).isEmpty();
        assertThat(r.events()).hasSize(1);
        RawLog e = r.events().get(0);
        assertThat(e.owner + "|" + e.logGroup + "|" + e.logStream + "|" + e.cloudwatchId + "|" + e.sourceTime)
                .isEqualTo("1|g|s|x|7");
    }

    @Test
    void firehoseConcatenatedGzipMembersDecodeEveryEnvelope() {
        ByteArrayOutputStream object = new ByteArrayOutputStream();
        object.writeBytes(data(3));
        object.writeBytes(CloudWatchPayloads.controlMessage(5));
        object.writeBytes(CloudWatchPayloads.dataMessage(OWNER, "/other/group", STREAM, events(2)));

        DecodeResult r = decoder.decode(object.toByteArray(), RECEIVED);

        assertThat(r.failures()).isEmpty();
        assertThat(r.dataMessages()).isEqualTo(2);
        assertThat(r.controlMessages()).isEqualTo(1);
        assertThat(r.events()).extracting(e -> e.logGroup)
                .containsExactly(GROUP, GROUP, GROUP, "/other/group", "/other/group");
    }

    @Test
    void firehoseConcatenatedJsonObjectsDecodeUncompressed() {
        String a = CloudWatchPayloads.dataMessageJson(OWNER, GROUP, STREAM, events(2));
        String b = CloudWatchPayloads.dataMessageJson(OWNER, GROUP, "other-stream", events(3));

        DecodeResult r = decoder.decodeUncompressed((a + b + "\n").getBytes(StandardCharsets.UTF_8), RECEIVED);

        assertThat(r.failures()).isEmpty();
        assertThat(r.events()).hasSize(5);
        assertThat(r.events().get(4).logStream).isEqualTo("other-stream");
    }

    @Test
    void oneBadEnvelopeInAFirehoseObjectDoesNotSpoilTheOthers() {
        String good = CloudWatchPayloads.dataMessageJson(OWNER, GROUP, STREAM, events(2));
        String noOwner = good.replace("\"owner\":\"" + OWNER + "\",", "");

        DecodeResult r = decoder.decode(gzip(good + noOwner + good), RECEIVED);

        assertThat(r.events()).hasSize(4);
        assertThat(reasons(r)).containsExactly(DecodeReasons.MISSING_FIELD);
    }

    @Test
    void failureIdsAreDeterministicPerPayload() {
        byte[] a = "not gzip a".getBytes(StandardCharsets.UTF_8);
        byte[] b = "not gzip b".getBytes(StandardCharsets.UTF_8);

        String first = decoder.decode(a, 1).failures().get(0).failureId;
        String again = new CloudWatchDecoder().decode(a, 2).failures().get(0).failureId;
        String other = decoder.decode(b, 1).failures().get(0).failureId;

        assertThat(first).isEqualTo(again).isNotEqualTo(other);
    }

    @Test
    void resultIsReusedAndClearedByTheNextDecode() {
        DecodeResult first = decoder.decode(data(3), RECEIVED);
        DecodeResult second = decoder.decode("x".getBytes(StandardCharsets.UTF_8), RECEIVED);

        assertThat(second).isSameAs(first);
        assertThat(second.events()).isEmpty();
        assertThat(reasons(second)).containsExactly(DecodeReasons.NOT_GZIP);
        assertThat(second.dataMessages()).isZero();
    }
}
