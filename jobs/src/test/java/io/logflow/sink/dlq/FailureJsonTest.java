package io.logflow.sink.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logflow.model.Failure;
import io.logflow.model.FailureStage;
import io.logflow.model.LogEvent;
import io.logflow.model.SourceKind;
import io.logflow.pipeline.EventRecords;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class FailureJsonTest {

    @Test
    void aKeptRecordTravelsAsAnObjectSoADlqConsumerCanRebuildTheEvent() throws Exception {
        LogEvent event = new LogEvent();
        event.eventId = "7528499d-6cf5-3091-a677-55461160bc32";
        event.message = "unclaimed";
        event.routingKey = "nobody";
        Failure f = Failure.ofPayload(FailureStage.ENRICH, "unknown_workspace", "no workspace claims 'nobody'",
                SourceKind.UPLOAD, "file:/x.log#L1", "unclaimed".getBytes(StandardCharsets.UTF_8), 64, 1_000L);
        f.record = EventRecords.toJson(event);

        JsonNode json = new ObjectMapper().readTree(FailureJson.toJson(f));

        assertThat(json.get("record").isObject()).isTrue();
        assertThat(EventRecords.fromJson(json.get("record").toString()).eventId).isEqualTo(event.eventId);
        assertThat(json.get("reason").asText()).isEqualTo("unknown_workspace");
    }

    @Test
    void aFailureWithoutARecordHasNoRecordField() throws Exception {
        Failure f = Failure.ofPayload(FailureStage.DECODE, "not_gzip", "d", SourceKind.CLOUDWATCH, "cloudwatch:x",
                null, 64, 1_000L);

        assertThat(new ObjectMapper().readTree(FailureJson.toJson(f)).has("record")).isFalse();
    }

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static Failure hostile(String text, String record) {
        Failure f = Failure.ofPayload(FailureStage.PARSE, text, text, SourceKind.UPLOAD, text,
                text.getBytes(StandardCharsets.UTF_8), 1 << 20, 1_000L);
        f.failureId = text;
        f.workspaceId = text;
        f.record = record;
        return f;
    }

    @Test
    void hostileStringsMakeValidJsonWithStorableText() throws Exception {
        String text = "a\u0000b\u0000c\uD800d\uDC00e\uD83D\uDE00f\u202e\uFFFE\uFFFF\u0001\\u0000\"";
        JsonNode json = STRICT.readTree(FailureJson.toJson(hostile(text, "{\"k\\u0000\":\"\\ud800\",\"n\":[1,2.5,null]}")));

        String clean = "a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uD83D\uDE00f\u202e\uFFFE\uFFFF\u0001\\u0000\"";
        for (String field : new String[] {"failureId", "reason", "detail", "sourceRef", "workspaceId"}) {
            assertThat(json.get(field).asText()).as(field).isEqualTo(clean);
        }
        assertThat(json.get("raw").asText()).isEqualTo(java.util.Base64.getEncoder().encodeToString(
                text.getBytes(StandardCharsets.UTF_8)));
        assertThat(json.get("record").get("k\uFFFD").asText()).isEqualTo("\uFFFD");
        assertThat(json.get("record").get("n").size()).isEqualTo(3);
    }

    @Test
    void aRecordThatIsNotOneJsonValueTravelsAsText() throws Exception {
        for (String record : new String[] {"{\"a\":", "{} {}", "not json", "", "{\"a\\u0000\":1,\"a\\ud800\":2}"}) {
            JsonNode json = STRICT.readTree(FailureJson.toJson(hostile("x", record)));
            assertThat(json.has("record")).as(record).isFalse();
            assertThat(json.get("recordText").asText()).as(record).isEqualTo(
                    io.logflow.model.Storable.text(record));
        }
    }

    @Test
    void anOverLargeFailureDropsItsRecordAndSaysSo() throws Exception {
        String line = "\"" + "x".repeat(1 << 20) + "\"";
        byte[] bytes = FailureJson.toJson(hostile("big", line));
        JsonNode json = STRICT.readTree(bytes);

        assertThat(bytes.length).isLessThanOrEqualTo(FailureJson.MAX_BYTES);
        assertThat(json.has("record")).isFalse();
        assertThat(json.get("recordOmitted").asBoolean()).isTrue();
        assertThat(json.get("recordSize").asLong()).isEqualTo(line.length());
        assertThat(json.get("reason").asText()).isEqualTo("big");
        assertThat(json.has("truncated")).isFalse();
    }

    @Test
    void aFailureTooLargeEvenWithoutItsRecordIsCutAndSaysSo() throws Exception {
        Failure f = hostile("\u0000".repeat(1 << 20), "{}"); // every NUL becomes U+FFFD, three bytes
        f.raw = new byte[1 << 20];
        f.rawSize = 5 << 20;
        byte[] bytes = FailureJson.toJson(f);
        JsonNode json = STRICT.readTree(bytes);

        assertThat(bytes.length).isLessThanOrEqualTo(FailureJson.MAX_BYTES);
        assertThat(json.get("truncated").asBoolean()).isTrue();
        assertThat(json.get("workspaceId").asText()).hasSize(FailureJson.CUT_CHARS);
        assertThat(json.get("detail").asText().length()).isLessThanOrEqualTo(FailureJson.CUT_CHARS);
        assertThat(java.util.Base64.getDecoder().decode(json.get("raw").asText())).hasSize(FailureJson.CUT_RAW_BYTES);
        assertThat(json.get("rawSize").asInt()).isEqualTo(5 << 20);
        assertThat(json.get("recordOmitted").asBoolean()).isTrue();
    }
}
