package io.logflow.model;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Strings cross {@link RecordIO} unchanged, and as UTF-8 unless they hold an unpaired surrogate. */
class RecordIOPropertiesTest {
    @Property
    void everyStringCrossesUnchanged(@ForAll @Chars({'a', '?', '\u00e9', '\u20ac', '\0', '\uD800', '\uDBFF', '\uDC00',
        '\uDFFF', '\uD83D', '\uDE00'}) String s) throws IOException {
        assertThat(roundTrip(s)).isEqualTo(s);
    }

    /** Strings of any length, written and read one after another. */
    @Property(tries = 60)
    void stringsOfAnyLengthCrossUnchangedOneAfterAnother(@ForAll @Size(max = 6) List<@StringLength(max = 40_000)
            @Chars({'a', 'z', '\u00e9', '\uD800'}) String> strings) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        for (String s : strings) {
            RecordIO.writeString(out, s);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (String s : strings) {
            assertThat(RecordIO.readString(in)).isEqualTo(s);
        }
        assertThat(in.available()).isZero();
    }

    @Example
    void onlyAnUnpairedSurrogateTravelsAsUtf16Units() throws IOException {
        assertThat(lengthWritten("what? yes?")).isEqualTo(10); // the '?' of the text are not surrogates
        assertThat(lengthWritten("a?b\uD800")).isEqualTo(-4); // as many bytes as chars, one '?' a surrogate's
        assertThat(lengthWritten("\uDC00")).isEqualTo(-1);
        assertThat(lengthWritten("caf\u00e9 \uD83D\uDE00")).isEqualTo(10); // a pair is UTF-8's four bytes
        assertThat(lengthWritten("caf\u00e9 \uD800")).isEqualTo(-6);
    }

    private static String roundTrip(String s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        RecordIO.writeString(out, s);
        return RecordIO.readString(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    private static int lengthWritten(String s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        RecordIO.writeString(out, s);
        return new DataInputDeserializer(out.getCopyOfBuffer()).readInt();
    }
}
