package io.logflow.parse.template;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TemplateMinerPropertiesTest {

    @Property(tries = 200)
    void everyLineGetsAnIdAndALineSeenBeforeKeepsIt(@ForAll @Size(max = 300) List<@From("logLines") String> lines) {
        TemplateMiner miner = new TemplateMiner(5, 100_000);
        Map<String, String> first = new HashMap<>();
        for (String line : lines) {
            TemplateMatch match = miner.add(line, 0);
            assertThat(match.id).matches("[0-9a-f]{16}");
            String before = first.putIfAbsent(line, match.id);
            if (before != null) {
                assertThat(match.id).as(line).isEqualTo(before);
            }
        }
        for (String line : lines) {
            assertThat(miner.add(line, 0).id).as(line).isEqualTo(first.get(line));
        }
    }

    @Property(tries = 100)
    void aMinerRestoredAfterEveryLineAnswersExactlyLikeAnUninterruptedOne(
            @ForAll @Size(max = 200) List<@From("logLines") String> lines) {
        TemplateMiner uninterrupted = new TemplateMiner(9, 8);
        TemplateMiner restored = new TemplateMiner(9, 8);
        long time = 0;
        for (String line : lines) {
            time += (line.length() % 5) * 20_000 - 10_000; // event time jumps back now and then
            TemplateMatch expected = uninterrupted.add(line, time);
            restored = TemplateMinerSerializer.INSTANCE.copy(restored);
            TemplateMatch actual = restored.add(line, time);
            assertThat(actual.id).as(line).isEqualTo(expected.id);
            assertThat(actual.text).isEqualTo(expected.text);
            assertThat(actual.report).isEqualTo(expected.report);
            assertThat(actual.count).isEqualTo(expected.count);
            assertThat(actual.firstSeen).isEqualTo(expected.firstSeen);
            assertThat(actual.lastSeen).isEqualTo(expected.lastSeen);
            assertThat(actual.example).isEqualTo(expected.example);
        }
    }

    @Property(tries = 5)
    void stateStaysBoundedUnderAFloodOfUniqueLines(@ForAll @Size(min = 1, max = 50) List<@From("logLines") String> seeds) {
        int max = 40;
        TemplateMiner miner = new TemplateMiner(3, max);
        for (int i = 0; i < 3_000; i++) {
            // a new word each time (letters only, so never merged) at a varying length
            String word = Integer.toString(i, 26).chars().mapToObj(c -> String.valueOf((char) ('a' + Character.digit(c, 26))))
                    .reduce("w", String::concat);
            miner.add(word + " " + seeds.get(i % seeds.size()) + " " + word, i);
            assertThat(miner.size()).isLessThanOrEqualTo(max);
        }
        assertThat(miner.size()).isEqualTo(max);
        assertThat(miner.leafCount()).isLessThanOrEqualTo(max);
        assertThat(miner.byId).hasSize(max);
        assertThat(miner.leaves.values().stream().mapToInt(List::size).sum()).isEqualTo(max);
        assertThat(miner.cacheSize()).isLessThanOrEqualTo(TemplateMiner.CACHE_ENTRIES);
    }

    @Property(tries = 1000)
    void theMaskerNeverMapsLinesThatDifferInAWordToTheSameTokens(
            @ForAll("logLines") String line, @ForAll("word") String word, @ForAll("word") String other) {
        net.jqwik.api.Assume.that(!word.equals(other) && word.length() == other.length());
        String[] parts = line.split(" ", -1);
        int at = Math.abs(line.hashCode() % (parts.length + 1));
        List<String> a = new ArrayList<>(List.of(parts));
        List<String> b = new ArrayList<>(List.of(parts));
        a.add(at, word);
        b.add(at, other);
        assertThat(tokens(String.join(" ", a))).isNotEqualTo(tokens(String.join(" ", b)));
    }

    private static List<String> tokens(String message) {
        TokenMasker.Tokens tokens = new TokenMasker.Tokens();
        new TokenMasker().tokens(message, tokens);
        return List.of(java.util.Arrays.copyOf(tokens.token, tokens.size));
    }

    @Provide
    Arbitrary<String> word() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(6);
    }

    /** Lines from a small vocabulary, so templates form, merge and compete; with numbers, keys and punctuation. */
    @Provide
    Arbitrary<String> logLines() {
        Arbitrary<String> token = Arbitraries.oneOf(
                Arbitraries.of("user", "session", "opened", "closed", "for", "root", "Failed", "VM", "Started",
                        "Paused", "from", "port", "ms", "bytes", "(KB)", "[main]", "INFO", "ERROR", "<*>", "é", "",
                        "h.a", "h.b", "h.c", "h.d"),
                Arbitraries.integers().between(0, 99_999).map(String::valueOf),
                Arbitraries.of("key=", "a,b", "x##y", "10.0.0.", ":", "(", ")", "\"q\"", "0x1f", "/var/log/")
                        .flatMap(p -> Arbitraries.integers().between(0, 9).map(n -> p + n)),
                Arbitraries.strings().withCharRange('a', 'f').ofMinLength(1).ofMaxLength(4));
        return Combinators.combine(token.list().ofMinSize(0).ofMaxSize(9), Arbitraries.of(" ", "  ", ", "))
                .as((tokens, sep) -> String.join(sep, tokens));
    }
}
