package io.logflow.model;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HexFormat;
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
    void anUnpairedSurrogateCrossesUnchangedInReadAndCopy() throws Exception {
        RawLog r = new RawLog();
        r.text = "lone \uD800 high, pair \uD83D\uDE00, nul \u0000";
        r.logGroup = "\uDC00";
        RawLog back = roundTrip(RawLogSerializer.INSTANCE, r);
        assertThat(back.text).isEqualTo(r.text);
        assertThat(back.logGroup).isEqualTo(r.logGroup);
        DataOutputSerializer out = new DataOutputSerializer(64);
        RawLogSerializer.INSTANCE.serialize(r, out);
        DataOutputSerializer copied = new DataOutputSerializer(64);
        RawLogSerializer.INSTANCE.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        RawLog viaCopy = RawLogSerializer.INSTANCE.deserialize(new DataInputDeserializer(copied.getCopyOfBuffer()));
        assertThat(viaCopy.text).isEqualTo(r.text);
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
    void aBatchWritesSharedCoordinatesOnceAndReadsThemBackShared() throws Exception {
        String owner = "111111111111";
        String group = "/aws/lambda/checkout";
        String stream = "2026/12/07/[$LATEST]abc";
        String key = owner + "/" + group;
        List<RawLog> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            RawLog r = new RawLog();
            r.source = SourceKind.CLOUDWATCH;
            r.owner = owner;
            r.logGroup = group;
            r.logStream = stream;
            r.routingKey = key;
            r.cloudwatchId = "3" + i;
            r.eventId = "id-" + i;
            r.sourceTime = 1_790_000_000_000L + i;
            r.text = "line " + i;
            batch.add(r);
        }
        // equal but not the same strings are written again; a null after a value stays null
        batch.get(20).logStream = new String(stream.toCharArray());
        batch.get(30).owner = null;
        batch.get(31).service = "svc";

        DataOutputSerializer out = new DataOutputSerializer(256);
        RawLogBatchSerializer.INSTANCE.serialize(batch, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        List<RawLog> back = RawLogBatchSerializer.INSTANCE.deserialize(in);
        assertThat(in.available()).isZero();
        assertThat(back).hasSize(batch.size());
        List<Field> fields = new ArrayList<>();
        for (Field f : RawLog.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                fields.add(f);
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            assertSameFields(fields, batch.get(i), back.get(i));
            assertSameFields(fields, batch.get(i), RawLogBatchSerializer.INSTANCE.copy(batch).get(i));
        }
        assertThat(back.get(49).logGroup).isSameAs(back.get(0).logGroup);
        assertThat(back.get(49).routingKey).isSameAs(back.get(0).routingKey);

        DataOutputSerializer oneByOne = new DataOutputSerializer(256);
        for (RawLog r : batch) {
            RawLogSerializer.INSTANCE.serialize(r, oneByOne);
        }
        assertThat(out.length()).isLessThan(oneByOne.length() / 2);
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

    /**
     * Enums go by ordinal: a reordered or removed constant would change the meaning of records in savepoints. The
     * released constants are pinned here in order; a new one may only be appended.
     */
    @Test
    void enumConstantsKeepTheirOrder() {
        assertThat(Level.values()).extracting(Enum::name)
                .startsWith("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");
        assertThat(SourceKind.values()).extracting(Enum::name).startsWith("CLOUDWATCH", "UPLOAD", "KAFKA");
        assertThat(Marker.values()).extracting(Enum::name).startsWith("FILE_START", "FILE_END", "CLOUDWATCH_CONTROL");
    }

    /**
     * Savepoints hold records in these serializers' bytes, so the bytes written by a released version must still read
     * back, and the same record must still write the same bytes. The golden files were written by the serializers as
     * released; a change of format needs a new serializer version (and a snapshot that reads the old one), not a new
     * golden file.
     */
    @Test
    void bytesOfTheReleasedFormatStillReadAndAreStillWritten() throws Exception {
        assertGolden("serializers/rawlog-v1.hex", RawLogSerializer.INSTANCE, goldenRawLog());
        assertGolden("serializers/logevent-v1.hex", LogEventSerializer.INSTANCE, goldenLogEvent());
    }

    /** A line of an upload with every field set that a source sets, and one non-ASCII character. */
    static RawLog goldenRawLog() {
        RawLog r = new RawLog();
        r.source = SourceKind.UPLOAD;
        r.eventId = "4a3c9a52-9d0e-3b5e-8f6a-1c2d3e4f5a6b";
        r.routingKey = "acme";
        r.receiveTime = 1_793_610_000_123L;
        r.sourceTime = 1_793_577_600_000L;
        r.path = "file:/data/acme/api/2026/11/02/app.log";
        r.version = "1793610000000-2048";
        r.entry = "inner/app.log";
        r.line = 42;
        r.fileBytes = 2048;
        r.service = "api";
        r.text = "{\"level\":\"error\",\"message\":\"caf\u00e9 closed\"}";
        return r;
    }

    /** A parsed event with a level, a duration, fields and coordinates. */
    static LogEvent goldenLogEvent() {
        LogEvent e = new LogEvent();
        e.eventId = "4a3c9a52-9d0e-3b5e-8f6a-1c2d3e4f5a6b";
        e.workspaceId = "acme";
        e.timestamp = 1_793_610_000_000L;
        e.ingestTime = 1_793_610_000_123L;
        e.level = Level.ERROR;
        e.service = "api";
        e.logGroup = "/ecs/api";
        e.logStream = "task/1";
        e.message = "caf\u00e9 closed";
        e.traceId = "t-1";
        e.requestId = "r-1";
        e.durationMs = 12.5;
        e.fields = new LinkedHashMap<>();
        e.fields.put("http.status", "500");
        e.fields.put("empty", "");
        e.format = "json";
        e.source = SourceKind.CLOUDWATCH;
        e.sourceRef = "cloudwatch:111111111111/ecs/api/task/1#1";
        e.routingKey = "111111111111/ecs/api";
        return e;
    }

    private static <T> void assertGolden(String resource, TypeSerializer<T> serializer, T sample) throws Exception {
        byte[] golden;
        try (InputStream in = RecordSerializersTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            golden = HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
        T read = serializer.deserialize(new DataInputDeserializer(golden));
        assertThat(read).as("%s reads back", resource).usingRecursiveComparison().isEqualTo(sample);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(sample, out);
        assertThat(HexFormat.of().formatHex(out.getCopyOfBuffer())).as("%s is still written", resource)
                .isEqualTo(HexFormat.of().formatHex(golden));
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
