package io.logflow.parse.multiline;

import io.logflow.model.RawLog;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden files under {@code golden/multiline/}: {@code <case>.lines} holds one record per line, as a stream delivers
 * them ({@code \n} written as a backslash and n stands for a newline inside one record, as in a CloudWatch event);
 * {@code <case>.records} holds the records the joiner must emit, separated by a line {@code ----}.
 */
class MultilineGoldenTest {

    @TestFactory
    Stream<DynamicTest> everyMultilineCaseJoinsAsExpected() throws IOException, URISyntaxException {
        Path dir = Paths.get(MultilineGoldenTest.class.getResource("/golden/multiline").toURI());
        List<Path> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.toString().endsWith(".lines")).sorted().forEach(cases::add);
        }
        assertThat(cases).hasSizeGreaterThanOrEqualTo(6);
        return cases.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(p)));
    }

    private static void check(Path linesFile) throws IOException {
        List<String> lines = Files.readAllLines(linesFile, StandardCharsets.UTF_8);
        String expectedText = Files.readString(Paths.get(linesFile.toString().replace(".lines", ".records")),
                StandardCharsets.UTF_8);
        List<String> expected = Arrays.asList(expectedText.replaceAll("\n$", "").split("\n----\n", -1));

        MultilineJoiner joiner = new MultilineJoiner();
        List<RawLog> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            out.addAll(joiner.offer(RawLog.fileLine("file:/golden", null, i + 1, lines.get(i).replace("\\n", "\n"),
                    1_718_452_800_000L)));
        }
        out.addAll(joiner.flush());
        assertThat(out).extracting(r -> r.text).containsExactlyElementsOf(expected);
    }
}
