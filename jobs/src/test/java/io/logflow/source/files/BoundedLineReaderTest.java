package io.logflow.source.files;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedLineReaderTest {

    @Test
    void splitsOnLfAndCrlfAndKeepsALastLineWithoutNewline() throws IOException {
        assertThat(lines("a\nb\r\n\nc", 100)).containsExactly("a", "b", "", "c");
    }

    @Test
    void emptyInputHasNoLines() throws IOException {
        assertThat(lines("", 100)).isEmpty();
    }

    @Test
    void oversizeLineIsCutAtTheLimitFlaggedAndTheNextLineIsIntact() throws IOException {
        BoundedLineReader reader = reader("0123456789\nnext\n", 4);

        assertThat(reader.readLine()).isEqualTo("0123");
        assertThat(reader.lastLineTooLong()).isTrue();
        assertThat(reader.lastLineBytes()).isEqualTo(10);
        assertThat(reader.readLine()).isEqualTo("next");
        assertThat(reader.lastLineTooLong()).isFalse();
        assertThat(reader.readLine()).isNull();
    }

    @Test
    void linesLongerThanTheReadBufferAreJoined() throws IOException {
        String longLine = "y".repeat(200_000);
        assertThat(lines(longLine + "\nz\n", 300_000)).containsExactly(longLine, "z");
    }

    @Test
    void multiByteUtf8SurvivesBufferBoundaries() throws IOException {
        String text = "é".repeat(40_000) + "\n€";
        assertThat(lines(text, 1_000_000)).containsExactly("é".repeat(40_000), "€");
    }

    private static List<String> lines(String text, int max) throws IOException {
        BoundedLineReader reader = reader(text, max);
        List<String> out = new ArrayList<>();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            out.add(line);
        }
        return out;
    }

    private static BoundedLineReader reader(String text, int max) {
        return new BoundedLineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), max);
    }
}
