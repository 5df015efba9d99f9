package io.logflow.source.kafka;

import io.logflow.model.EventIds;
import io.logflow.model.RawLog;
import io.logflow.model.SourceKind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.logflow.source.kafka.KafkaRecordSplitter.INVALID_IDEMPOTENCY_KEY;
import static io.logflow.source.kafka.KafkaRecordSplitter.INVALID_JSON;
import static io.logflow.source.kafka.KafkaRecordSplitter.INVALID_MESSAGE;
import static io.logflow.source.kafka.KafkaRecordSplitter.MISSING_MESSAGE;
import static io.logflow.source.kafka.KafkaRecordSplitter.NOT_AN_OBJECT;
import static io.logflow.source.kafka.KafkaRecordSplitter.RECORD_TOO_LARGE;
import static io.logflow.source.kafka.KafkaRecordSplitter.REJECTED_TEXT_BYTES;
import static io.logflow.source.kafka.KafkaRecordSplitter.TOO_DEEP;
import static io.logflow.source.kafka.KafkaRecordSplitter.TOO_MANY_OBJECTS;
import static org.assertj.core.api.Assertions.assertThat;

class KafkaRecordSplitterTest {
    private static final String TOPIC = "logs";
    private static final int PARTITION = 2;
    private static final long OFFSET = 41;
    private static final long TIMESTAMP = 1_700_000_000_000L;

    private final KafkaRecordSplitter splitter = KafkaRecordSplitter.withDefaults();

    @Test
    void singleObjectBecomesOneRawLogWithItsExactTextAndKafkaCoordinates() {
        String json = "{ \"message\" : \"user logged in\", \"level\":\"info\", \"n\": {\"a\": [1, 2]} }";
        List<RawLog> out = split(null, Map.of(), json);

        assertThat(out).hasSize(1);
        RawLog raw = out.get(0);
        assertThat(raw.error).isNull();
        assertThat(raw.text).isEqualTo(json.strip());
        assertThat(raw.source).isEqualTo(SourceKind.KAFKA);
        assertThat(raw.sourceRef()).isEqualTo("kafka:logs/2@41[0]");
        assertThat(raw.receiveTime).isEqualTo(TIMESTAMP);
        assertThat(raw.eventId).isEqualTo(EventIds.of("kafka", TOPIC, "2", "41", "0"));
    }

    @Test
    void prettyPrintedObjectOverSeveralLinesIsOneEvent() {
        String json = "{\n  \"msg\": \"multi\",\n  \"level\": \"warn\"\n}\n";
        List<RawLog> out = split(null, Map.of(), json);

        assertThat(out).extracting(r -> r.text).containsExactly(json.strip());
        assertThat(out.get(0).error).isNull();
    }

    @Test
    void arrayBecomesOneRawLogPerElementInOrder() {
        List<String> objects = IntStream.range(0, 5)
                .mapToObj(i -> "{\"message\":\"m" + i + "\",\"i\":" + i + "}").collect(Collectors.toList());
        List<RawLog> out = split(null, Map.of(), " [" + String.join(" ,\n", objects) + "] ");

        assertThat(out).extracting(r -> r.text).containsExactlyElementsOf(objects);
        assertThat(out).extracting(r -> r.index).containsExactly(0, 1, 2, 3, 4);
        assertThat(out).allSatisfy(r -> assertThat(r.error).isNull());
        assertThat(out).extracting(r -> r.eventId).doesNotHaveDuplicates();
    }

    @Test
    void ndjsonBecomesOneRawLogPerLineAndSkipsBlankLines() {
        List<String> lines = List.of("{\"message\":\"a\"}", "{\"message\":\"b\"}", "{\"msg\":\"c\"}");
        List<RawLog> out = split(null, Map.of(), lines.get(0) + "\r\n" + lines.get(1) + "\n\n  \n" + lines.get(2));

        assertThat(out).extracting(r -> r.text).containsExactlyElementsOf(lines);
        assertThat(out).allSatisfy(r -> assertThat(r.error).isNull());
    }

    @Test
    void oneBadItemInAnArrayIsRejectedAndTheOthersGoThrough() {
        String record = "[{\"message\":\"ok1\"}, 42, {\"level\":\"info\"}, {\"message\": 7}, {\"message\":\"ok2\"}]";
        List<RawLog> out = split(null, Map.of(), record);

        assertThat(out).extracting(r -> r.error)
                .containsExactly(null, NOT_AN_OBJECT, MISSING_MESSAGE, INVALID_MESSAGE, null);
        assertThat(out).extracting(r -> r.text).containsExactly("{\"message\":\"ok1\"}", "42",
                "{\"level\":\"info\"}", "{\"message\": 7}", "{\"message\":\"ok2\"}");
        assertThat(out.get(3).errorDetail).contains("a number");
    }

    @Test
    void brokenNdjsonLineIsRejectedAndTheOtherLinesGoThrough() {
        String record = "{\"message\":\"a\"}\n{\"message\": \"b\" oops}\n{\"message\":\"c\"}\n";
        List<RawLog> out = split(null, Map.of(), record);

        assertThat(out).extracting(r -> r.error).containsExactly(null, INVALID_JSON, null);
        assertThat(out.get(1).text).isEqualTo("{\"message\": \"b\" oops}");
        assertThat(out.get(2).text).isEqualTo("{\"message\":\"c\"}");
        assertThat(out).extracting(r -> r.index).containsExactly(0, 1, 2);
    }

    @Test
    void brokenArrayKeepsTheObjectsBeforeTheBreakAndRejectsTheRestOnce() {
        String record = "[{\"message\":\"a\"},{\"message\":\"b\"},{\"message\": nope},{\"message\":\"d\"}]";
        List<RawLog> out = split(null, Map.of(), record);

        assertThat(out).extracting(r -> r.error).containsExactly(null, null, INVALID_JSON);
        assertThat(out.get(2).text).startsWith("{\"message\": nope}");
    }

    @Test
    void notJsonAtAllIsOneInvalidJsonItem() {
        List<RawLog> out = split(null, Map.of(), "hello world");

        assertThat(out).extracting(r -> r.error).containsExactly(INVALID_JSON);
        assertThat(out.get(0).text).isEqualTo("hello world");
    }

    @Test
    void tombstoneAndBlankValuesYieldNothing() {
        assertThat(splitter.split(TOPIC, 0, 0, TIMESTAMP, null, Map.of(), null)).isEmpty();
        assertThat(split(null, Map.of(), " \n\t ")).isEmpty();
    }

    @Test
    void idempotencyKeyGivesAnIdScopedByRoutingKeyIndependentOfTheOffset() {
        String json = "{\"message\":\"m\",\"idempotencyKey\":\"order-17\"}";
        RawLog first = splitter.split(TOPIC, 0, 5, TIMESTAMP, "ws-a", Map.of(), bytes(json)).get(0);
        RawLog again = splitter.split(TOPIC, 1, 900, TIMESTAMP, "ws-a", Map.of(), bytes(json)).get(0);
        RawLog otherWorkspace = splitter.split(TOPIC, 0, 5, TIMESTAMP, "ws-b", Map.of(), bytes(json)).get(0);

        assertThat(first.eventId).isEqualTo(EventIds.of("kafka-key", "ws-a", "order-17"));
        assertThat(again.eventId).isEqualTo(first.eventId);
        assertThat(otherWorkspace.eventId).isNotEqualTo(first.eventId);
    }

    @Test
    void eventIdFieldIsAcceptedAsTheKeyAndIntegersToo() {
        RawLog byEventId = split("ws", Map.of(), "{\"message\":\"m\",\"eventId\":\"e-1\"}").get(0);
        RawLog byNumber = split("ws", Map.of(), "{\"message\":\"m\",\"idempotencyKey\":12345}").get(0);

        assertThat(byEventId.eventId).isEqualTo(EventIds.of("kafka-key", "ws", "e-1"));
        assertThat(byNumber.eventId).isEqualTo(EventIds.of("kafka-key", "ws", "12345"));
    }

    @Test
    void configuredIdempotencyFieldWinsOverEventId() {
        KafkaRecordSplitter custom = new KafkaRecordSplitter(1 << 20, 100, 8, "requestId", "workspace");
        String json = "{\"message\":\"m\",\"eventId\":\"e-1\",\"requestId\":\"r-9\"}";
        RawLog raw = custom.split(TOPIC, 0, 0, TIMESTAMP, "ws", Map.of(), bytes(json)).get(0);

        assertThat(raw.eventId).isEqualTo(EventIds.of("kafka-key", "ws", "r-9"));
    }

    @Test
    void withoutAKeyTheIdComesFromTheOffsetAndPosition() {
        List<RawLog> out = split("ws", Map.of(), "[{\"message\":\"a\"},{\"message\":\"a\"}]");

        assertThat(out).extracting(r -> r.eventId).containsExactly(
                EventIds.of("kafka", TOPIC, "2", "41", "0"), EventIds.of("kafka", TOPIC, "2", "41", "1"));
    }

    @Test
    void invalidIdempotencyKeyIsRejected() {
        List<RawLog> out = split("ws", Map.of(), "[{\"message\":\"m\",\"idempotencyKey\":{\"a\":1}},"
                + "{\"message\":\"m\",\"idempotencyKey\":\" \"}]");

        assertThat(out).extracting(r -> r.error).containsExactly(INVALID_IDEMPOTENCY_KEY, INVALID_IDEMPOTENCY_KEY);
    }

    @Test
    void routingKeyIsTheRecordKeyThenTheWorkspaceFieldThenTheHeader() {
        String withField = "{\"message\":\"m\",\"workspace\":\"from-field\"}";
        String withoutField = "{\"message\":\"m\"}";
        Map<String, String> header = Map.of("workspace", "from-header");

        assertThat(split("from-key", header, withField).get(0).routingKey).isEqualTo("from-key");
        assertThat(split(null, header, withField).get(0).routingKey).isEqualTo("from-field");
        assertThat(split("  ", header, withField).get(0).routingKey).isEqualTo("from-field");
        assertThat(split(null, header, withoutField).get(0).routingKey).isEqualTo("from-header");
        assertThat(split(null, Map.of(), withoutField).get(0).routingKey).isNull();
    }

    @Test
    void routingHeaderNameIsConfigurable() {
        KafkaRecordSplitter custom = new KafkaRecordSplitter(1 << 20, 100, 8, "idempotencyKey", "x-tenant");
        RawLog raw = custom.split(TOPIC, 0, 0, TIMESTAMP, null, Map.of("x-tenant", "acme", "workspace", "no"),
                bytes("{\"message\":\"m\"}")).get(0);

        assertThat(raw.routingKey).isEqualTo("acme");
    }

    @Test
    void recordOverTheSizeLimitIsOneBoundedRejection() {
        KafkaRecordSplitter small = new KafkaRecordSplitter(10_000, 100, 8, "idempotencyKey", "workspace");
        String big = "[" + IntStream.range(0, 500).mapToObj(i -> "{\"message\":\"event number " + i + "\"}")
                .collect(Collectors.joining(",")) + "]";
        assertThat(bytes(big).length).isGreaterThan(10_000);

        List<RawLog> out = small.split(TOPIC, 0, 7, TIMESTAMP, null, Map.of(), bytes(big));

        assertThat(out).hasSize(1);
        assertThat(out.get(0).error).isEqualTo(RECORD_TOO_LARGE);
        assertThat(out.get(0).text).hasSize(REJECTED_TEXT_BYTES);
        assertThat(out.get(0).errorDetail).contains(Integer.toString(bytes(big).length));
        assertThat(out.get(0).fileBytes).as("the record's true size, for raw_size").isEqualTo(bytes(big).length);
    }

    @Test
    void nulAndLoneSurrogatesInRoutingKeysAreMadeStorable() {
        String withField = "{\"message\":\"m\",\"workspace\":\"ws\\u0000\"}";
        String withoutField = "{\"message\":\"m\"}";

        assertThat(split("key\u0000", Map.of(), withField).get(0).routingKey).isEqualTo("key\uFFFD");
        assertThat(split(null, Map.of(), withField).get(0).routingKey).isEqualTo("ws\uFFFD");
        assertThat(split(null, Map.of("workspace", "h\ud800"), withoutField).get(0).routingKey).isEqualTo("h\uFFFD");
    }

    @Test
    void recordWithMoreObjectsThanTheLimitIsOneRejection() {
        KafkaRecordSplitter few = new KafkaRecordSplitter(1 << 20, 3, 8, "idempotencyKey", "workspace");
        String four = "{\"message\":\"a\"}\n{\"message\":\"b\"}\n{\"message\":\"c\"}\n{\"message\":\"d\"}";
        String three = "[{\"message\":\"a\"},{\"message\":\"b\"},{\"message\":\"c\"}]";

        assertThat(few.split(TOPIC, 0, 0, TIMESTAMP, null, Map.of(), bytes(four)))
                .extracting(r -> r.error).containsExactly(TOO_MANY_OBJECTS);
        assertThat(few.split(TOPIC, 0, 0, TIMESTAMP, null, Map.of(), bytes("[" + four.replace('\n', ',') + "]")))
                .extracting(r -> r.error).containsExactly(TOO_MANY_OBJECTS);
        assertThat(few.split(TOPIC, 0, 0, TIMESTAMP, null, Map.of(), bytes(three))).hasSize(3);
    }

    @Test
    void objectNestedDeeperThanTheLimitIsRejectedAndTheOthersGoThrough() {
        KafkaRecordSplitter shallow = new KafkaRecordSplitter(1 << 20, 100, 3, "idempotencyKey", "workspace");
        String depth3 = "{\"message\":\"ok\",\"a\":{\"b\":[1]}}";
        String depth4 = "{\"message\":\"deep\",\"a\":{\"b\":[{\"c\":1}]}}";

        List<RawLog> out = shallow.split(TOPIC, 0, 0, TIMESTAMP, null, Map.of(),
                bytes(depth3 + "\n" + depth4 + "\n" + depth3));

        assertThat(out).extracting(r -> r.error).containsExactly(null, TOO_DEEP, null);
        assertThat(out.get(1).text).isEqualTo(depth4);
    }

    @Test
    void extremelyDeepInputIsRejectedWithoutThrowing() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        List<RawLog> out = split(null, Map.of(), deep);

        assertThat(out).isNotEmpty();
        assertThat(out).allSatisfy(r -> assertThat(r.error).isIn(TOO_DEEP, INVALID_JSON, NOT_AN_OBJECT));
    }

    @Test
    void nestedArrayInsideABatchIsNotAnObject() {
        List<RawLog> out = split(null, Map.of(), "[[{\"message\":\"a\"}],{\"message\":\"b\"}]");

        assertThat(out).extracting(r -> r.error).containsExactly(NOT_AN_OBJECT, null);
        assertThat(out.get(0).text).isEqualTo("[{\"message\":\"a\"}]");
    }

    @Test
    void unterminatedArrayKeepsItsCompleteObjects() {
        List<RawLog> out = split(null, Map.of(), "[{\"message\":\"a\"},{\"message\":\"b\"}");

        assertThat(out).extracting(r -> r.error).containsExactly(null, null, INVALID_JSON);
    }

    @Test
    void rejectedItemsCarryAStableOffsetId() {
        List<RawLog> first = split("ws", Map.of(), "[{\"message\":\"a\"}, true]");
        List<RawLog> again = split("ws", Map.of(), "[{\"message\":\"a\"}, true]");

        assertThat(first.get(1).eventId).isEqualTo(EventIds.of("kafka", TOPIC, "2", "41", "1"));
        assertThat(again).extracting(r -> r.eventId).isEqualTo(first.stream().map(r -> r.eventId)
                .collect(Collectors.toList()));
    }

    private List<RawLog> split(String key, Map<String, String> headers, String value) {
        return splitter.split(TOPIC, PARTITION, OFFSET, TIMESTAMP, key, headers, bytes(value));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
