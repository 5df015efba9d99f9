package io.logflow.model;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A list of {@link RawLog}s whose records mostly share their coordinates, as a CloudWatch payload's events share their
 * account, log group, log stream and routing key: a coordinate that is the very same string as the previous record's
 * is written once, and read back as one shared string. A payload of 100 events crosses an exchange with its
 * coordinates once instead of 100 times, and its events arrive holding one instance of each (which the parser's
 * storable check of coordinates recognises by identity).
 *
 * <p>For records that only cross the network ({@link #TYPE}); the format of a single record in state is
 * {@link RawLogSerializer}'s and unchanged.
 */
public final class RawLogBatchSerializer extends RecordSerializer<List<RawLog>> {
    private static final long serialVersionUID = 1L;
    public static final RawLogBatchSerializer INSTANCE = new RawLogBatchSerializer();
    /** The type of a batch on the wire. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static final TypeInformation<List<RawLog>> TYPE = new RecordTypeInfo<>((Class) List.class, INSTANCE);

    private static final RawLogSerializer RECORD = RawLogSerializer.INSTANCE;

    @Override
    public List<RawLog> createInstance() {
        return new ArrayList<>();
    }

    @Override
    public List<RawLog> copy(List<RawLog> from) {
        List<RawLog> to = new ArrayList<>(from.size());
        for (RawLog r : from) {
            to.add(RECORD.copy(r));
        }
        return to;
    }

    @Override
    public void serialize(List<RawLog> batch, DataOutputView out) throws IOException {
        int n = batch.size();
        out.writeInt(n);
        RawLog previous = null;
        for (int i = 0; i < n; i++) {
            RawLog r = batch.get(i);
            int shared = RawLogSerializer.shared(r, previous);
            out.writeShort(shared); // the shareable bits are all below 16
            RECORD.write(r, out, shared);
            previous = r;
        }
    }

    @Override
    public List<RawLog> deserialize(DataInputView in) throws IOException {
        int n = in.readInt();
        List<RawLog> batch = new ArrayList<>(n);
        RawLog previous = null;
        for (int i = 0; i < n; i++) {
            int shared = in.readShort() & 0xffff;
            RawLog r = RECORD.read(in, previous, shared);
            batch.add(r);
            previous = r;
        }
        return batch;
    }

    @Override
    public TypeSerializerSnapshot<List<RawLog>> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The format's version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<List<RawLog>> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
