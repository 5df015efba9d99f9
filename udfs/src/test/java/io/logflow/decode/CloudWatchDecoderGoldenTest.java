package io.logflow.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logflow.model.EventIds;
import io.logflow.model.Failure;
import io.logflow.model.RawLog;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs every case in {@code src/test/resources/decode} (see its README): input next to expected output. */
class CloudWatchDecoderGoldenTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static List<String> cases() throws IOException, URISyntaxException {
        Path dir = Path.of(CloudWatchDecoderGoldenTest.class.getResource("/decode").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json") && !n.endsWith(".expected.json"))
                    .map(n -> n.substring(0, n.length() - ".json".length()))
                    .sorted()
                    .collect(Collectors.toList());
            assertThat(names).as("golden cases").hasSizeGreaterThanOrEqualTo(10);
            return names;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodesAsExpected(String name) throws Exception {
        byte[] input = read(name + ".json");
        JsonNode expected = MAPPER.readTree(read(name + ".expected.json"));

        DecodeResult result = new CloudWatchDecoder().decode(CloudWatchPayloads.gzip(input), 42L);

        assertThat(actual(result).toPrettyString()).isEqualTo(expected.toPrettyString());
        for (RawLog e : result.events()) {
            assertThat(e.eventId).isEqualTo(EventIds.of("cloudwatch", e.owner, e.logGroup, e.cloudwatchId));
            assertThat(e.receiveTime).isEqualTo(42L);
        }
        // The uncompressed (Firehose with decompression) path must agree with the compressed one.
        DecodeResult plain = new CloudWatchDecoder().decodeUncompressed(input, 42L);
        assertThat(actual(plain).toPrettyString()).isEqualTo(expected.toPrettyString());
    }

    private static ObjectNode actual(DecodeResult result) {
        ObjectNode out = MAPPER.createObjectNode();
        ArrayNode events = out.putArray("events");
        for (RawLog e : result.events()) {
            events.addObject()
                    .put("owner", e.owner)
                    .put("logGroup", e.logGroup)
                    .put("logStream", e.logStream)
                    .put("cloudwatchId", e.cloudwatchId)
                    .put("sourceTime", e.sourceTime)
                    .put("routingKey", e.routingKey)
                    .put("text", e.text);
        }
        ArrayNode failures = out.putArray("failures");
        for (Failure f : result.failures()) {
            failures.add(f.reason);
        }
        out.put("dataMessages", result.dataMessages());
        out.put("controlMessages", result.controlMessages());
        return out;
    }

    private static byte[] read(String file) throws IOException, URISyntaxException {
        return Files.readAllBytes(Path.of(CloudWatchDecoderGoldenTest.class.getResource("/decode/" + file).toURI()));
    }
}
