package io.logflow.sink.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logflow.model.Failure;
import io.logflow.model.FailureStage;
import io.logflow.model.LogEvent;
import io.logflow.model.SourceKind;
import io.logflow.replay.EventRecords;
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
}
