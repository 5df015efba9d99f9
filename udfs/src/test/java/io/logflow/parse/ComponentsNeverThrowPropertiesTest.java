package io.logflow.parse;

import io.logflow.parse.redact.RedactionRules;
import io.logflow.parse.redact.Redactor;
import io.logflow.parse.template.TemplateMatch;
import io.logflow.parse.template.TemplateMiner;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/** The pieces the parser and the SQL functions share take any text without throwing. */
class ComponentsNeverThrowPropertiesTest {
    private final Redactor redactor = new Redactor(RedactionRules.defaults());
    private final TemplateMiner miner = new TemplateMiner(0, 20);

    @Property(tries = 1500)
    void redactionTakesAnyText(@ForAll("noisy") String text) {
        String out = redactor.redact(text);
        assertThat(out).isNotNull();
        assertThat(redactor.redact(out)).as("redacting twice changes nothing").isEqualTo(out);
    }

    @Property(tries = 1500)
    void templateMiningTakesAnyTextAndStaysBounded(@ForAll("noisy") String text) {
        TemplateMatch t = miner.add(text, 0);
        assertThat(t.id).hasSize(16).matches("[0-9a-f]{16}");
        assertThat(miner.size()).isLessThanOrEqualTo(20);
    }

    @Property(tries = 1500)
    void timestampsAndLevelsTakeAnyText(@ForAll("noisy") String text) {
        Timestamps.parse(text, 1_718_452_800_000L);
        Levels.fromName(text);
        int[] pos = new int[2];
        if (Levels.sniff(text, 0, pos) != null) {
            assertThat(pos[0]).isBetween(0, pos[1]);
            assertThat(pos[1]).isLessThanOrEqualTo(text.length() + 1);
        }
    }

    @Provide
    Arbitrary<String> noisy() {
        Arbitrary<String> pieces = Arbitraries.of("password", "=", ":", " ", "\"", "'", "Bearer ", "Basic ", "cookie",
                "Cookie: a=b; c", "eyJ", ".", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "0x", "ff", "12", "::",
                "10.0.0.1", "/", "\\", "authorization", "token", "\n", "\t", "<*>", "é", "\uD800", "Oct 11 ", "2024-");
        return Arbitraries.oneOf(Arbitraries.strings(), pieces.list().ofMaxSize(30).map(l -> String.join("", l)));
    }
}
