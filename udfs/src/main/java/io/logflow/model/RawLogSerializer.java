package io.logflow.model;

import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;

import static io.logflow.model.RecordIO.bit;
import static io.logflow.model.RecordIO.has;
import static io.logflow.model.RecordIO.readString;
import static io.logflow.model.RecordIO.writeIf;

/**
 * {@link RawLog} on the wire and in state: a mask of the present reference fields, then the fields in declaration
 * order, strings as UTF-8 and enums by ordinal (so their constants may only be appended). Flink's PojoSerializer
 * spent most of its time in reflective field access and char-by-char strings (BENCHMARKS.md). A change of the format
 * needs a new {@link Snapshot} version.
 */
public final class RawLogSerializer extends RecordSerializer<RawLog> {
    private static final long serialVersionUID = 1L;
    public static final RawLogSerializer INSTANCE = new RawLogSerializer();
    private static final SourceKind[] SOURCES = SourceKind.values();
    private static final Marker[] MARKERS = Marker.values();

    @Override
    public RawLog createInstance() {
        return new RawLog();
    }

    @Override
    public RawLog copy(RawLog from) {
        RawLog to = new RawLog();
        to.source = from.source;
        to.eventId = from.eventId;
        to.routingKey = from.routingKey;
        to.receiveTime = from.receiveTime;
        to.sourceTime = from.sourceTime;
        to.owner = from.owner;
        to.logGroup = from.logGroup;
        to.logStream = from.logStream;
        to.cloudwatchId = from.cloudwatchId;
        to.path = from.path;
        to.version = from.version;
        to.entry = from.entry;
        to.line = from.line;
        to.fileBytes = from.fileBytes;
        to.marker = from.marker;
        to.topic = from.topic;
        to.partition = from.partition;
        to.offset = from.offset;
        to.index = from.index;
        to.service = from.service;
        to.text = from.text;
        to.error = from.error;
        to.errorDetail = from.errorDetail;
        return to;
    }

    @Override
    public void serialize(RawLog r, DataOutputView out) throws IOException {
        write(r, out, 0);
    }

    @Override
    public RawLog deserialize(DataInputView in) throws IOException {
        return read(in, null, 0);
    }

    /**
     * Which of {@code r}'s coordinates are the very same strings as {@code previous}'s, as bits of the null mask:
     * routing key, owner, log group, log stream, path, version, topic, service (what records of one batch share, see
     * {@link RawLogBatchSerializer}).
     */
    static int shared(RawLog r, RawLog previous) {
        if (previous == null) {
            return 0;
        }
        return same(r.routingKey, previous.routingKey, 2) | same(r.owner, previous.owner, 3)
                | same(r.logGroup, previous.logGroup, 4) | same(r.logStream, previous.logStream, 5)
                | same(r.path, previous.path, 7) | same(r.version, previous.version, 8)
                | same(r.topic, previous.topic, 11) | same(r.service, previous.service, 12);
    }

    private static int same(String a, String b, int bit) {
        return a != null && a == b ? 1 << bit : 0;
    }

    /** Writes {@code r} but for the present fields in {@code omitted}, which the reader takes from elsewhere. */
    void write(RawLog r, DataOutputView out, int omitted) throws IOException {
        int mask = bit(r.source, 0) | bit(r.eventId, 1) | bit(r.routingKey, 2) | bit(r.owner, 3)
                | bit(r.logGroup, 4) | bit(r.logStream, 5) | bit(r.cloudwatchId, 6) | bit(r.path, 7)
                | bit(r.version, 8) | bit(r.entry, 9) | bit(r.marker, 10) | bit(r.topic, 11) | bit(r.service, 12)
                | bit(r.text, 13) | bit(r.error, 14) | bit(r.errorDetail, 15);
        int written = mask & ~omitted;
        out.writeInt(mask);
        if (r.source != null) {
            out.writeByte(r.source.ordinal());
        }
        writeIf(out, r.eventId);
        writeUnlessShared(out, r.routingKey, written, 2);
        out.writeLong(r.receiveTime);
        out.writeLong(r.sourceTime);
        writeUnlessShared(out, r.owner, written, 3);
        writeUnlessShared(out, r.logGroup, written, 4);
        writeUnlessShared(out, r.logStream, written, 5);
        writeIf(out, r.cloudwatchId);
        writeUnlessShared(out, r.path, written, 7);
        writeUnlessShared(out, r.version, written, 8);
        writeIf(out, r.entry);
        out.writeLong(r.line);
        out.writeLong(r.fileBytes);
        if (r.marker != null) {
            out.writeByte(r.marker.ordinal());
        }
        writeUnlessShared(out, r.topic, written, 11);
        out.writeInt(r.partition);
        out.writeLong(r.offset);
        out.writeInt(r.index);
        writeUnlessShared(out, r.service, written, 12);
        writeIf(out, r.text);
        writeIf(out, r.error);
        writeIf(out, r.errorDetail);
    }

    private static void writeUnlessShared(DataOutputView out, String s, int written, int bit) throws IOException {
        if (has(written, bit)) {
            RecordIO.writeString(out, s);
        }
    }

    /** Reads a record written with {@code omitted}; those fields are {@code previous}'s. */
    RawLog read(DataInputView in, RawLog previous, int omitted) throws IOException {
        int mask = in.readInt();
        RawLog r = new RawLog();
        r.source = has(mask, 0) ? SOURCES[in.readByte()] : null;
        r.eventId = has(mask, 1) ? readString(in) : null;
        r.routingKey = has(omitted, 2) ? previous.routingKey : has(mask, 2) ? readString(in) : null;
        r.receiveTime = in.readLong();
        r.sourceTime = in.readLong();
        r.owner = has(omitted, 3) ? previous.owner : has(mask, 3) ? readString(in) : null;
        r.logGroup = has(omitted, 4) ? previous.logGroup : has(mask, 4) ? readString(in) : null;
        r.logStream = has(omitted, 5) ? previous.logStream : has(mask, 5) ? readString(in) : null;
        r.cloudwatchId = has(mask, 6) ? readString(in) : null;
        r.path = has(omitted, 7) ? previous.path : has(mask, 7) ? readString(in) : null;
        r.version = has(omitted, 8) ? previous.version : has(mask, 8) ? readString(in) : null;
        r.entry = has(mask, 9) ? readString(in) : null;
        r.line = in.readLong();
        r.fileBytes = in.readLong();
        r.marker = has(mask, 10) ? MARKERS[in.readByte()] : null;
        r.topic = has(omitted, 11) ? previous.topic : has(mask, 11) ? readString(in) : null;
        r.partition = in.readInt();
        r.offset = in.readLong();
        r.index = in.readInt();
        r.service = has(omitted, 12) ? previous.service : has(mask, 12) ? readString(in) : null;
        r.text = has(mask, 13) ? readString(in) : null;
        r.error = has(mask, 14) ? readString(in) : null;
        r.errorDetail = has(mask, 15) ? readString(in) : null;
        return r;
    }

    @Override
    public TypeSerializerSnapshot<RawLog> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The format's version in checkpoints and savepoints. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RawLog> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Attached to {@link RawLog} with {@code @TypeInfo}. */
    public static final class Factory extends TypeInfoFactory<RawLog> {
        @Override
        public TypeInformation<RawLog> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new RecordTypeInfo<>(RawLog.class, INSTANCE);
        }
    }
}
