package io.logflow.model;

import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Field codecs for the hand-written record serializers. Strings travel as their UTF-8 bytes behind a length: the JDK
 * encodes and decodes a whole (mostly ASCII) string in one intrinsic, where Flink's StringSerializer goes a char at a
 * time. Callers mark nulls in a bitmask, so these never see one.
 */
final class RecordIO {
    private RecordIO() {}

    /**
     * An unpaired surrogate has no UTF-8 form: the JDK would write {@code ?} for it, so it is written as U+FFFD, as
     * {@link Storable} replaces it everywhere else (a CloudWatch event crosses an exchange before it is parsed). NUL
     * and everything else travel as they are.
     */
    static void writeString(DataOutputView out, String s) throws IOException {
        byte[] bytes = (hasSurrogate(s) ? pairedOnly(s) : s).getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static boolean hasSurrogate(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if ((char) (s.charAt(i) - Character.MIN_SURROGATE) <= Character.MAX_SURROGATE - Character.MIN_SURROGATE) {
                return true;
            }
        }
        return false;
    }

    /** {@code s} with each unpaired surrogate replaced by U+FFFD (pairs are kept). */
    private static String pairedOnly(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? Storable.REPLACEMENT : c);
            }
        }
        return out.toString();
    }

    /** Writes {@code s} when it is there; its bit in the record's null mask tells the reader. */
    static void writeIf(DataOutputView out, String s) throws IOException {
        if (s != null) {
            writeString(out, s);
        }
    }

    static String readString(DataInputView in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Copies one string written by {@link #writeString} from one view to another without decoding it. */
    static void copyString(DataInputView in, DataOutputView out) throws IOException {
        int length = in.readInt();
        out.writeInt(length);
        out.write(in, length);
    }

    /** Bit {@code i} of the null mask: set when the i-th nullable field is present. */
    static int bit(Object value, int i) {
        return value == null ? 0 : 1 << i;
    }

    static boolean has(int mask, int i) {
        return (mask & (1 << i)) != 0;
    }
}
