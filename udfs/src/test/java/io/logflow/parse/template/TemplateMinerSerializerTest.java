package io.logflow.parse.template;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TemplateMinerSerializerTest {

    @Test
    void aMinerRestoredAfterEveryLineAnswersLikeAnUninterruptedOne() {
        List<String> lines = new ArrayList<>();
        String[] verbs = {"opened", "closed", "reset", "refused"};
        for (int i = 0; i < 400; i++) {
            lines.add("connection " + (i % 13) + " to host" + (i % 5) + " " + verbs[i % 4] + " after " + i + " ms");
            lines.add("user u" + (i % 7) + " logged " + (i % 3 == 0 ? "in" : "out") + " from console " + i % 2);
        }
        TemplateMiner uninterrupted = new TemplateMiner(42, 6);
        TemplateMiner restored = new TemplateMiner(42, 6);
        long time = 0;
        for (String line : lines) {
            time += 7_000;
            TemplateMatch expected = uninterrupted.add(line, time);
            restored = TemplateMinerSerializer.INSTANCE.copy(restored);
            TemplateMatch actual = restored.add(line, time);
            assertThat(actual).usingRecursiveComparison().as(line).isEqualTo(expected);
        }
        assertThat(restored.size()).isEqualTo(uninterrupted.size()).isLessThanOrEqualTo(6);
    }
}
