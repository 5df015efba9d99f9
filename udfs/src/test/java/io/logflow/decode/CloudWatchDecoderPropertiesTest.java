package io.logflow.decode;

import io.logflow.decode.CloudWatchPayloads.LogEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The decoder never throws, and every payload is accounted for: events, failures or counted messages. */
class CloudWatchDecoderPropertiesTest {
    private final CloudWatchDecoder decoder = new CloudWatchDecoder(64 * 1024, 256);

    @Property(tries = 2000)
    void neverThrowsOnArbitraryBytes(@ForAll byte[] bytes) {
        assertAccountedFor(decoder.decode(bytes, 0));
        assertAccountedFor(decoder.decodeUncompressed(bytes, 0));
    }

    @Property(tries = 1000)
    void neverThrowsOnGzippedArbitraryBytes(@ForAll byte[] bytes) {
        assertAccountedFor(decoder.decode(CloudWatchPayloads.gzip(bytes), 0));
    }

    /** Text made of envelope fragments reaches the envelope logic far more often than random bytes do. */
    @Property(tries = 3000)
    void neverThrowsOnEnvelopeLikeJson(@ForAll("envelopeLikeJson") String json) {
        assertAccountedFor(decoder.decode(CloudWatchPayloads.gzip(json), 0));
    }

    @Property(tries = 1000)
    void damagedValidPayloadsNeverThrow(
            @ForAll("validPayloads") byte[] payload,
            @ForAll @IntRange(min = 0, max = 10_000) int position,
            @ForAll byte flip,
            @ForAll boolean truncate) {
        int at = position % payload.length;
        byte[] damaged = truncate ? Arrays.copyOf(payload, at) : payload.clone();
        if (!truncate) {
            damaged[at] ^= (byte) (flip == 0 ? 1 : flip);
        }
        assertAccountedFor(decoder.decode(damaged, 0));
    }

    @Property(tries = 300)
    void validPayloadsDecodeIntoExactlyTheirEvents(@ForAll("logEvents") List<LogEvent> events) {
        DecodeResult r = decoder.decode(CloudWatchPayloads.dataMessage("1", "g", "s", events), 0);

        assertThat(r.failures()).isEmpty();
        assertThat(r.events().stream().map(e -> new LogEvent(e.cloudwatchId, e.sourceTime, e.text))
                .collect(Collectors.toList())).isEqualTo(events);
    }

    private static void assertAccountedFor(DecodeResult r) {
        assertThat(r.events().size() + r.failures().size() + r.dataMessages() + r.controlMessages())
                .as("something must account for the payload: %s", r)
                .isPositive();
        assertThat(r.failures()).allSatisfy(f -> {
            assertThat(DecodeReasons.ALL).contains(f.reason);
            assertThat(f.reason).isNotEqualTo(DecodeReasons.DECODE_ERROR);
            assertThat(f.failureId).isNotNull();
        });
    }

    @Provide
    Arbitrary<List<LogEvent>> logEvents() {
        Arbitrary<LogEvent> event = Combinators.combine(
                        Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(56),
                        Arbitraries.longs().between(0, 4_000_000_000_000L),
                        Arbitraries.strings().ofMaxLength(200))
                .as(LogEvent::new);
        return event.list().ofMaxSize(20);
    }

    @Provide
    Arbitrary<byte[]> validPayloads() {
        return logEvents().map(events -> CloudWatchPayloads.dataMessage("123456789012", "/aws/x", "s", events));
    }

    @Provide
    Arbitrary<String> envelopeLikeJson() {
        Arbitrary<String> fragment = Arbitraries.of(
                "{", "}", "[", "]", ",", ":", "\"messageType\"", "\"DATA_MESSAGE\"", "\"CONTROL_MESSAGE\"",
                "\"owner\"", "\"logGroup\"", "\"logStream\"", "\"logEvents\"", "\"id\"", "\"timestamp\"",
                "\"message\"", "\"x\"", "1", "-7", "1.5", "1e400", "99999999999999999999", "null", "true", " ");
        return fragment.list().ofMaxSize(60).map(parts -> String.join("", parts));
    }
}
