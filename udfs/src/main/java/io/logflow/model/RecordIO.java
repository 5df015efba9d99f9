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
     * An unpaired surrogate has no UTF-8 form (the JDK would write {@code ?}), so a string holding one travels as its
     * UTF-16 units behind a negative length instead, and arrives unchanged: the parser, after an exchange, still sees
     * it and replaces it where it records that it did. Strings without one are written as they always were.
     */
    static void writeString(DataOutputView out, String s) throws IOException {
        if (hasUnpairedSurrogate(s)) {
            out.writeInt(-s.length());
            for (int i = 0; i < s.length(); i++) {
                out.writeChar(s.charAt(i));
            }
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if ((char) (c - Character.MIN_SURROGATE) <= Character.MAX_SURROGATE - Character.MIN_SURROGATE) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            }
        }
        return false;
    }

    /** Writes {@code s} when it is there; its bit in the record's null mask tells the reader. */
    static void writeIf(DataOutputView out, String s) throws IOException {
        if (s != null) {
            writeString(out, s);
        }
    }

    static String readString(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            char[] chars = new char[-length];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = in.readChar();
            }
            return new String(chars);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Copies one string written by {@link #writeString} from one view to another without decoding it. */
    static void copyString(DataInputView in, DataOutputView out) throws IOException {
        int length = in.readInt();
        out.writeInt(length);
        out.write(in, length < 0 ? -2 * length : length);
    }

    /** Bit {@code i} of the null mask: set when the i-th nullable field is present. */
    static int bit(Object value, int i) {
        return value == null ? 0 : 1 << i;
    }

    static boolean has(int mask, int i) {
        return (mask & (1 << i)) != 0;
    }
}
