package io.logflow.model;

import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.Map;

import static io.logflow.model.RecordIO.bit;
import static io.logflow.model.RecordIO.has;
import static io.logflow.model.RecordIO.readString;
import static io.logflow.model.RecordIO.writeIf;

/**
 * {@link LogEvent} on the wire and in state, in the manner of {@link RawLogSerializer}: a mask of the present
 * reference fields, then the fields in declaration order; {@code fields} as a count and its entries, each with a byte
 * telling whether key and value are there. A change of the format needs a new {@link Snapshot} version, unless it only
 * appends fields behind new mask bits (as the template fields, bits 16 and 17, were): bytes written before then have
 * those bits clear and read back unchanged.
 */
public final class LogEventSerializer extends RecordSerializer<LogEvent> {
    private static final long serialVersionUID = 1L;
    public static final LogEventSerializer INSTANCE = new LogEventSerializer();
    private static final Level[] LEVELS = Level.values();
    private static final SourceKind[] SOURCES = SourceKind.values();

    @Override
    public LogEvent createInstance() {
        return new LogEvent();
    }

    @Override
    public LogEvent copy(LogEvent from) {
        LogEvent to = new LogEvent();
        to.eventId = from.eventId;
        to.workspaceId = from.workspaceId;
        to.timestamp = from.timestamp;
        to.ingestTime = from.ingestTime;
        to.level = from.level;
        to.service = from.service;
        to.logGroup = from.logGroup;
        to.logStream = from.logStream;
        to.message = from.message;
        to.traceId = from.traceId;
        to.spanId = from.spanId;
        to.requestId = from.requestId;
        to.durationMs = from.durationMs;
        to.fields = from.fields == null ? null : new HashMap<>(from.fields);
        to.format = from.format;
        to.source = from.source;
        to.sourceRef = from.sourceRef;
        to.routingKey = from.routingKey;
        to.templateId = from.templateId;
        to.template = from.template;
        return to;
    }

    @Override
    public void serialize(LogEvent e, DataOutputView out) throws IOException {
        int mask = bit(e.eventId, 0) | bit(e.workspaceId, 1) | bit(e.level, 2) | bit(e.service, 3)
                | bit(e.logGroup, 4) | bit(e.logStream, 5) | bit(e.message, 6) | bit(e.traceId, 7)
                | bit(e.spanId, 8) | bit(e.requestId, 9) | bit(e.durationMs, 10) | bit(e.fields, 11)
                | bit(e.format, 12) | bit(e.source, 13) | bit(e.sourceRef, 14) | bit(e.routingKey, 15)
                | bit(e.templateId, 16) | bit(e.template, 17);
        out.writeInt(mask);
        writeIf(out, e.eventId);
        writeIf(out, e.workspaceId);
        out.writeLong(e.timestamp);
        out.writeLong(e.ingestTime);
        if (e.level != null) {
            out.writeByte(e.level.ordinal());
        }
        writeIf(out, e.service);
        writeIf(out, e.logGroup);
        writeIf(out, e.logStream);
        writeIf(out, e.message);
        writeIf(out, e.traceId);
        writeIf(out, e.spanId);
        writeIf(out, e.requestId);
        if (e.durationMs != null) {
            out.writeDouble(e.durationMs);
        }
        if (e.fields != null) {
            out.writeInt(e.fields.size());
            for (Map.Entry<String, String> field : e.fields.entrySet()) {
                String key = field.getKey();
                String value = field.getValue();
                out.writeByte(bit(key, 0) | bit(value, 1));
                writeIf(out, key);
                writeIf(out, value);
            }
        }
        writeIf(out, e.format);
        if (e.source != null) {
            out.writeByte(e.source.ordinal());
        }
        writeIf(out, e.sourceRef);
        writeIf(out, e.routingKey);
        writeIf(out, e.templateId);
        writeIf(out, e.template);
    }

    @Override
    public LogEvent deserialize(DataInputView in) throws IOException {
        int mask = in.readInt();
        LogEvent e = new LogEvent();
        e.eventId = has(mask, 0) ? readString(in) : null;
        e.workspaceId = has(mask, 1) ? readString(in) : null;
        e.timestamp = in.readLong();
        e.ingestTime = in.readLong();
        e.level = has(mask, 2) ? LEVELS[in.readByte()] : null;
        e.service = has(mask, 3) ? readString(in) : null;
        e.logGroup = has(mask, 4) ? readString(in) : null;
        e.logStream = has(mask, 5) ? readString(in) : null;
        e.message = has(mask, 6) ? readString(in) : null;
        e.traceId = has(mask, 7) ? readString(in) : null;
        e.spanId = has(mask, 8) ? readString(in) : null;
        e.requestId = has(mask, 9) ? readString(in) : null;
        e.durationMs = has(mask, 10) ? in.readDouble() : null;
        if (has(mask, 11)) {
            int size = in.readInt();
            Map<String, String> fields = new HashMap<>((int) (size / 0.75f) + 1);
            for (int i = 0; i < size; i++) {
                int present = in.readByte();
                String key = has(present, 0) ? readString(in) : null;
                fields.put(key, has(present, 1) ? readString(in) : null);
            }
            e.fields = fields;
        }
        e.format = has(mask, 12) ? readString(in) : null;
        e.source = has(mask, 13) ? SOURCES[in.readByte()] : null;
        e.sourceRef = has(mask, 14) ? readString(in) : null;
        e.routingKey = has(mask, 15) ? readString(in) : null;
        e.templateId = has(mask, 16) ? readString(in) : null;
        e.template = has(mask, 17) ? readString(in) : null;
        return e;
    }

    @Override
    public TypeSerializerSnapshot<LogEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The format's version in checkpoints and savepoints. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<LogEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Attached to {@link LogEvent} with {@code @TypeInfo}. */
    public static final class Factory extends TypeInfoFactory<LogEvent> {
        @Override
        public TypeInformation<LogEvent> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new RecordTypeInfo<>(LogEvent.class, INSTANCE);
        }
    }
}
