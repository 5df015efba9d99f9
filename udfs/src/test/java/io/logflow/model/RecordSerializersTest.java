package io.logflow.model;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written serializers of {@link RawLog} and {@link LogEvent}: every public field (found by reflection, so a
 * field added to a class and forgotten in its serializer fails here) survives serialize/deserialize and copy, set or
 * null; the type information picks them; their snapshots restore as compatible.
 */
class RecordSerializersTest {

    @Test
    void everyFieldOfARawLogRoundTrips() throws Exception {
        assertEveryFieldRoundTrips(RawLog.class, RawLogSerializer.INSTANCE);
    }

    @Test
    void everyFieldOfALogEventRoundTrips() throws Exception {
        assertEveryFieldRoundTrips(LogEvent.class, LogEventSerializer.INSTANCE);
    }

    @Test
    void theFieldsMapKeepsNullValuesUnicodeAndEmptiness() throws Exception {
        LogEvent e = new LogEvent();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("http.status", "500");
        fields.put("nullable", null);
        fields.put(null, "null key");
        fields.put("ünïcødé", "✓ 😀 \u0000 \t\n");
        e.fields = fields;
        assertThat(roundTrip(LogEventSerializer.INSTANCE, e).fields).isEqualTo(fields);
        e.fields = Map.of();
        assertThat(roundTrip(LogEventSerializer.INSTANCE, e).fields).isEmpty();
    }

    @Test
    void copyDoesNotShareTheFieldsMap() {
        LogEvent e = new LogEvent();
        e.fields = new LinkedHashMap<>(Map.of("a", "1"));
        LogEvent copy = LogEventSerializer.INSTANCE.copy(e);
        e.fields.put("b", "2");
        assertThat(copy.fields).containsOnlyKeys("a");
    }

    @Test
    void typeInformationOfTheClassesUsesThem() {
        ExecutionConfig config = new ExecutionConfig();
        config.disableGenericTypes();
        assertThat(TypeInformation.of(RawLog.class).createSerializer(config.getSerializerConfig()))
                .isSameAs(RawLogSerializer.INSTANCE);
        assertThat(TypeInformation.of(LogEvent.class).createSerializer(config.getSerializerConfig()))
                .isSameAs(LogEventSerializer.INSTANCE);
    }

    @Test
    void snapshotsRestoreAsCompatible() throws Exception {
        for (TypeSerializer<?> serializer : List.of(RawLogSerializer.INSTANCE, LogEventSerializer.INSTANCE)) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
            TypeSerializerSnapshot<?> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                    new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
            assertThat(restored.restoreSerializer()).isSameAs(serializer);
            @SuppressWarnings({"unchecked", "rawtypes"})
            TypeSerializerSchemaCompatibility<?> compatibility =
                    serializer.snapshotConfiguration().resolveSchemaCompatibility((TypeSerializerSnapshot) restored);
            assertThat(compatibility.isCompatibleAsIs()).as(serializer.getClass().getSimpleName()).isTrue();
        }
    }

    /** Enums go by ordinal: a reordered or removed constant would change stored records' meaning. */
    @Test
    void enumConstantsKeepTheirOrder() {
        assertThat(Level.values()).extracting(Enum::name)
                .containsExactly("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");
        assertThat(SourceKind.values()).extracting(Enum::name).startsWith(names(SourceKind.values()));
        assertThat(Marker.values()).extracting(Enum::name).startsWith(names(Marker.values()));
    }

    private static String[] names(Enum<?>[] values) {
        List<String> out = new ArrayList<>();
        for (Enum<?> v : values) {
            out.add(v.name());
        }
        return out.toArray(new String[0]);
    }

    private static <T> void assertEveryFieldRoundTrips(Class<T> type, TypeSerializer<T> serializer) throws Exception {
        List<Field> fields = new ArrayList<>();
        for (Field f : type.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                fields.add(f);
            }
        }
        assertThat(fields).hasSizeGreaterThan(10);
        T empty = type.getDeclaredConstructor().newInstance();
        for (Field f : fields) { // all reference fields null
            if (!f.getType().isPrimitive()) {
                f.set(empty, null);
            }
        }
        assertSameFields(fields, empty, roundTrip(serializer, empty));
        assertSameFields(fields, empty, serializer.copy(empty));

        T full = type.getDeclaredConstructor().newInstance();
        int n = 1;
        for (Field f : fields) {
            f.set(full, sample(f, n++));
        }
        T back = roundTrip(serializer, full);
        assertSameFields(fields, full, back);
        assertSameFields(fields, full, serializer.copy(full));
        for (Field f : fields) { // each field alone, so a mix-up between two present fields cannot hide
            T one = type.getDeclaredConstructor().newInstance();
            f.set(one, sample(f, 7));
            assertThat(f.get(roundTrip(serializer, one))).as(f.getName()).isEqualTo(f.get(one));
        }
    }

    private static Object sample(Field f, int n) {
        Class<?> t = f.getType();
        if (t == String.class) {
            return f.getName() + " ✓ " + n;
        } else if (t == long.class) {
            return 1_790_000_000_000L + n;
        } else if (t == int.class) {
            return 1_000 + n;
        } else if (t == Double.class) {
            return n + 0.25;
        } else if (t == Map.class) {
            return new LinkedHashMap<>(Map.of("k" + n, "v" + n, "empty", ""));
        } else if (t.isEnum()) {
            Object[] constants = t.getEnumConstants();
            return constants[n % constants.length];
        }
        throw new AssertionError("no sample for " + f);
    }

    private static <T> void assertSameFields(List<Field> fields, T expected, T actual) throws Exception {
        for (Field f : fields) {
            assertThat(f.get(actual)).as(f.getName()).isEqualTo(f.get(expected));
        }
    }

    private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        byte[] bytes = out.getCopyOfBuffer();
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        T back = serializer.deserialize(in);
        assertThat(in.available()).as("bytes left after reading").isZero();
        // copy(in, out) moves the same record (a map's entries may come out in another order)
        DataOutputSerializer copied = new DataOutputSerializer(64);
        serializer.copy(new DataInputDeserializer(bytes), copied);
        T again = serializer.deserialize(new DataInputDeserializer(copied.getCopyOfBuffer()));
        assertThat(copied.length()).isEqualTo(bytes.length);
        assertThat(serialized(serializer, again)).isEqualTo(serialized(serializer, back));
        return back;
    }

    private static <T> byte[] serialized(TypeSerializer<T> serializer, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        return out.getCopyOfBuffer();
    }
}
