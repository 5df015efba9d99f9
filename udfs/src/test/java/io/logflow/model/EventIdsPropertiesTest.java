package io.logflow.model;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An id is the version 3 UUID of its parts' UTF-8 bytes joined by NUL, as {@link UUID#nameUUIDFromBytes} makes it:
 * the ids already in the stores were made so, and a re-read must find them again.
 */
class EventIdsPropertiesTest {
    @Property
    void anIdIsTheNameBasedUuidOfThePartsJoinedByNul(@ForAll @Size(max = 6) List<@StringLength(max = 1_500)
            @Chars({'a', '7', '/', '\0', '\u00e9', '\u20ac', '\uD83D', '\uDE00', '\uD800', '\uDFFF'}) String> parts) {
        String[] array = parts.toArray(new String[0]);
        assertThat(EventIds.of(array)).isEqualTo(reference(array));
    }

    @Example
    void aMissingPartCountsAsEmptyAndTheSeparatorKeepsPartsApart() {
        String[] withNull = {"cloudwatch", null, "/aws/lambda/x", "1"};
        assertThat(EventIds.of(withNull)).isEqualTo(reference(withNull))
                .isEqualTo(EventIds.of("cloudwatch", "", "/aws/lambda/x", "1"));
        assertThat(EventIds.of("cloudwatch", "123456789012", "/aws/lambda/checkout", "3"))
                .isNotEqualTo(EventIds.of("cloudwatch", "123456789012", "/aws/lambda/checkou", "t3"));
    }

    private static String reference(String[] parts) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                bytes.write(0);
            }
            if (parts[i] != null) {
                bytes.writeBytes(parts[i].getBytes(StandardCharsets.UTF_8));
            }
        }
        return UUID.nameUUIDFromBytes(bytes.toByteArray()).toString();
    }
}
