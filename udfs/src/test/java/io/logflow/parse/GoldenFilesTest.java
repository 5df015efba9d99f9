package io.logflow.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logflow.model.LogEvent;
import io.logflow.model.RawLog;
import io.logflow.model.SourceKind;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden files under {@code golden/<format>/}: {@code <case>.log} holds one record (the whole file, minus its final
 * newline) and {@code <case>.json} what parsing it must give. Adding a case is adding two files.
 *
 * <p>Expected JSON: {@code outcome} (event, failure or skip) and {@code reason} for failures and skips. For events
 * every core attribute is checked: {@code format}, {@code timestamp} (ISO instant), {@code level}, {@code service},
 * {@code message} ({@code "$input"} stands for the whole stripped input), {@code traceId}, {@code spanId},
 * {@code requestId}, {@code durationMs}; an absent key means null. {@code fields} must match exactly (absent means
 * empty). An optional {@code given} object sets the record: {@code receiveTime}, {@code logGroup}, {@code routingKey},
 * and a forced {@code format} for that routing key.
 */
class GoldenFilesTest {
    static final String RECEIVE_TIME = "2024-06-15T12:00:00Z";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyGoldenCaseParsesAsExpected() throws IOException, URISyntaxException {
        Path root = Paths.get(GoldenFilesTest.class.getResource("/golden").toURI());
        List<Path> inputs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(p -> p.toString().endsWith(".log")).sorted().forEach(inputs::add);
        }
        assertThat(inputs).hasSizeGreaterThan(30);
        return inputs.stream().map(in -> DynamicTest.dynamicTest(root.relativize(in).toString(), () -> check(in)));
    }

    private static void check(Path input) throws IOException {
        String text = Files.readString(input, StandardCharsets.UTF_8);
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        Path expectedPath = Paths.get(input.toString().replaceAll("\\.log$", ".json"));
        JsonNode expected = MAPPER.readTree(expectedPath.toFile());
        JsonNode given = expected.path("given");

        RawLog raw = new RawLog();
        raw.source = SourceKind.UPLOAD;
        raw.path = "file:/golden/" + input.getFileName();
        raw.line = 1;
        raw.eventId = "golden-" + input.getFileName();
        raw.text = text;
        raw.receiveTime = Instant.parse(given.path("receiveTime").asText(RECEIVE_TIME)).toEpochMilli();
        raw.logGroup = given.path("logGroup").asText(null);
        raw.routingKey = given.path("routingKey").asText("golden");
        ParserOptions.Builder options = ParserOptions.builder();
        if (given.has("format")) {
            options.formatFor(raw.routingKey, LogFormat.fromConfig(given.get("format").asText()));
        }

        ParseOutcome outcome = new LogParser(options.build()).parse(raw);

        String expectedOutcome = expected.path("outcome").asText("event");
        assertThat(outcome.kind.name().toLowerCase()).as("%s: outcome (reason %s: %s)", input.getFileName(), outcome.reason, outcome.detail)
                .isEqualTo(expectedOutcome);
        if (!expectedOutcome.equals("event")) {
            assertThat(outcome.reason).as("reason").isEqualTo(expected.path("reason").asText());
            return;
        }
        LogEvent e = outcome.event;
        assertThat(e.format).as("%s: format", input.getFileName()).isEqualTo(text(expected, "format"));
        assertThat(Instant.ofEpochMilli(e.timestamp)).as("timestamp")
                .isEqualTo(Instant.parse(expected.path("timestamp").asText(RECEIVE_TIME)));
        assertThat(e.level == null ? null : e.level.name()).as("level").isEqualTo(text(expected, "level"));
        assertThat(e.service).as("service").isEqualTo(text(expected, "service"));
        String message = text(expected, "message");
        assertThat(e.message).as("message").isEqualTo("$input".equals(message) ? text.strip() : message);
        assertThat(e.traceId).as("traceId").isEqualTo(text(expected, "traceId"));
        assertThat(e.spanId).as("spanId").isEqualTo(text(expected, "spanId"));
        assertThat(e.requestId).as("requestId").isEqualTo(text(expected, "requestId"));
        assertThat(e.durationMs).as("durationMs")
                .isEqualTo(expected.hasNonNull("durationMs") ? expected.get("durationMs").asDouble() : null);
        Map<String, String> fields = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = expected.path("fields").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            fields.put(f.getKey(), f.getValue().isNull() ? null : f.getValue().asText());
        }
        assertThat(new TreeMap<>(e.fields)).as("fields").isEqualTo(fields);
        assertThat(e.eventId).isEqualTo(raw.eventId);
    }

    private static String text(JsonNode node, String key) {
        return node.hasNonNull(key) ? node.get(key).asText() : null;
    }
}
