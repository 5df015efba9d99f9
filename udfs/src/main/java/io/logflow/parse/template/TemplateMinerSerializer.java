package io.logflow.parse.template;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link TemplateMiner} in state. Format version 2 (version 1, of the first builds, is read too): a format byte, the
 * seed, {@code maxTemplates}, the next founding number and the template count; then each template from the least to
 * the most recently matched: founding number, id, route (the first token when a word, else {@code <*>}), token count,
 * per token a flag byte (bit 0 wildcard, bit 1 whitespace before) and the token, then count, first seen, last seen,
 * last reported, example. Leaves are rebuilt in founding order, the recency list in the written order, so a restored
 * miner answers exactly as the original would. The raw-message cache is not written: it only ever repeats what
 * matching would answer.
 */
public final class TemplateMinerSerializer extends TypeSerializerSingleton<TemplateMiner> {
    private static final long serialVersionUID = 1L;
    public static final TemplateMinerSerializer INSTANCE = new TemplateMinerSerializer();
    /** 2: the route in place of version 1's leaf key ({@code "<token count> <route>"}). */
    private static final int FORMAT = 2;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TemplateMiner createInstance() {
        return new TemplateMiner(0);
    }

    /** A deep copy, through the format itself, so a copy is exactly what a restore would give. */
    @Override
    public TemplateMiner copy(TemplateMiner from) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(256 + 128 * from.size());
            serialize(from, out);
            return deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public TemplateMiner copy(TemplateMiner from, TemplateMiner reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(TemplateMiner m, DataOutputView out) throws IOException {
        out.writeByte(FORMAT);
        out.writeLong(m.seed);
        out.writeInt(m.maxTemplates);
        out.writeLong(m.nextSeq);
        out.writeInt(m.size);
        for (Cluster c = m.eldest; c != null; c = c.newer) {
            out.writeLong(c.seq);
            out.writeUTF(c.id);
            out.writeUTF(c.route);
            out.writeShort(c.tokens.length);
            for (int i = 0; i < c.tokens.length; i++) {
                out.writeByte((c.wild[i] ? 1 : 0) | (c.spaceBefore[i] ? 2 : 0));
                out.writeUTF(c.tokens[i]);
            }
            out.writeLong(c.count);
            out.writeLong(c.firstSeen);
            out.writeLong(c.lastSeen);
            out.writeLong(c.reportedSeen);
            out.writeUTF(c.example);
        }
    }

    @Override
    public TemplateMiner deserialize(DataInputView in) throws IOException {
        int format = in.readByte();
        if (format != FORMAT && format != 1) {
            throw new IOException("unknown template miner format " + format);
        }
        TemplateMiner m = new TemplateMiner(in.readLong(), in.readInt());
        m.nextSeq = in.readLong();
        int size = in.readInt();
        List<Cluster> recency = new ArrayList<>(size);
        for (int k = 0; k < size; k++) {
            long seq = in.readLong();
            String id = in.readUTF();
            String route = in.readUTF();
            if (format == 1) {
                route = route.substring(route.indexOf(' ') + 1); // lines that now route elsewhere found anew
            }
            int n = in.readUnsignedShort();
            String[] tokens = new String[n];
            boolean[] wild = new boolean[n];
            boolean[] space = new boolean[n];
            for (int i = 0; i < n; i++) {
                int flags = in.readByte();
                wild[i] = (flags & 1) != 0;
                space[i] = (flags & 2) != 0;
                tokens[i] = in.readUTF();
            }
            long count = in.readLong();
            long firstSeen = in.readLong();
            long lastSeen = in.readLong();
            long reportedSeen = in.readLong();
            Cluster c = new Cluster(seq, id, route, tokens, wild, space, in.readUTF());
            c.count = count;
            c.firstSeen = firstSeen;
            c.lastSeen = lastSeen;
            c.reportedSeen = reportedSeen;
            recency.add(c);
        }
        for (Cluster c : recency) {
            m.hold(c);
        }
        // hold() appended to the leaves in recency order; a leaf decides ties in founding order
        for (List<Cluster> leaf : m.leaves.values()) {
            leaf.sort(Comparator.comparingLong(c -> c.seq));
        }
        return m;
    }

    @Override
    public TemplateMiner deserialize(TemplateMiner reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<TemplateMiner> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The format's version in checkpoints and savepoints. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<TemplateMiner> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
