package io.logflow.model;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The records on the wire must not need Kryo: with generic types disabled it would be an error, not a slowdown. */
class ModelTypesTest {

    @Test
    void recordsAreSerializableWithGenericTypesDisabled() throws Exception {
        assertThat(TypeInformation.of(Failure.class)).isInstanceOf(PojoTypeInfo.class);
        for (Class<?> type : new Class<?>[] {RawLog.class, LogEvent.class, Failure.class}) {
            // throws UnsupportedOperationException if any field needs Kryo
            TypeInformation.of(type).createSerializer(noKryo());
        }
    }

    @Test
    void logEventRoundTripsWithFieldsMapAndNulls() throws Exception {
        LogEvent e = new LogEvent();
        e.eventId = EventIds.of("upload", "file:/a.log", null, "1");
        e.timestamp = 1_793_606_400_000L;
        e.level = Level.ERROR;
        e.message = "boom";
        e.durationMs = 12.5;
        Map<String, String> fields = new HashMap<>();
        fields.put("http.status", "500");
        fields.put("nullable", null);
        e.fields = fields;
        e.source = SourceKind.UPLOAD;

        TypeSerializer<LogEvent> serializer = TypeInformation.of(LogEvent.class).createSerializer(noKryo());
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(e, out);
        LogEvent back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(back).isEqualTo(e);
    }

    @Test
    void eventIdsAreDeterministicAndSeparateTheirParts() {
        String id = EventIds.of("upload", "file:/a.log", null, "12");

        assertThat(id).isEqualTo(EventIds.of("upload", "file:/a.log", null, "12"));
        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(EventIds.of("ab", "c")).isNotEqualTo(EventIds.of("a", "bc"));
        assertThat(EventIds.of("upload", "file:/a.log", null, "13")).isNotEqualTo(id);
    }

    private static SerializerConfigImpl noKryo() {
        ExecutionConfig config = new ExecutionConfig();
        config.disableGenericTypes();
        return (SerializerConfigImpl) config.getSerializerConfig();
    }
}
