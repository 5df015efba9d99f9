package io.logflow.parse.template;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenMaskerTest {
    private final TokenMasker masker = new TokenMasker();

    private String masked(String message) {
        TokenMasker.Tokens tokens = new TokenMasker.Tokens();
        masker.tokens(message, tokens);
        return String.join(" | ", java.util.Arrays.copyOf(tokens.token, tokens.size));
    }

    @Test
    void numbersHexAndUuidsAreMaskedInsideTokens() {
        assertThat(masked("blk_-1608999687919862906 took 35ms at 0x7ffde4a0 id deadbeef01"))
                .isEqualTo("blk_<NUM> | took | <NUM>ms | at | <HEX> | id | <HEX>");
        assertThat(masked("event network-vif-plugged:e3871ffd-5cd5-4287-bddd-3529f7b59515 done"))
                .isEqualTo("event | network-vif-plugged: | <UUID> | done");
    }

    @Test
    void wholeChunksOfKnownShapeAreMaskedWhole() {
        assertThat(masked("GET https://x.io/a?b=1 from /var/log/a.log via fe80::1:2 and 00:a2:ee:1a:71:8c"))
                .isEqualTo("GET | <URL> | from | <PATH> | via | <HEX> | and | <HEX>");
        assertThat(masked("sync x-coredata://DB05755C/Cal/p11: ok")).isEqualTo("sync | <URL>: | ok");
    }

    @Test
    void keyValuePairsListsAndJsonAreCutAtDelimiters() {
        assertThat(masked("user=git rhost=10.0.0.1 tty=ssh")).isEqualTo("user= | git | rhost= | <IP> | tty= | ssh");
        assertThat(masked("nodes 10.0.0.1,10.0.0.2,10.0.0.3 steps=7##8##9"))
                .isEqualTo("nodes | <IP> | steps= | <NUM>");
        assertThat(masked("{\"a\":\"x\",\"b\":2}")).isEqualTo("{\"a\":\" | x\",\" | b\": | <NUM>}");
    }

    @Test
    void hostPortAndClockTimesStayOneToken() {
        assertThat(masked("proxy.example.org:5070 at 12:00:01.5, ok")).isEqualTo("proxy.example.org:<NUM> | at | <NUM>:<NUM>:<NUM>, | ok");
    }

    @Test
    void unitsJoinTheirNumberAndValueAsidesTheTokenBefore() {
        assertThat(masked("18846 bytes (18.4 KB) received, lifetime <1 sec"))
                .isEqualTo("<NUM> bytes (<NUM> KB) | received, | lifetime | <NUM> sec");
        assertThat(masked("cn14 cn15 cn16 cn17 resolved")).isEqualTo("cn<NUM> | resolved");
    }

    @Test
    void aWordAfterAValueIsAUnitAUuidOrAWordAsAnywhereElse() {
        assertThat(masked("took 35 ms. then 7 Failed: (retry \"again")).isEqualTo(
                "took | <NUM> ms. | then | <NUM> | Failed: | (retry | \"again");
        assertThat(masked("code 7 abcdefab-abcd-abcd-abcd-abcdefabcdef done"))
                .isEqualTo("code | <NUM> | <UUID> | done");
        assertThat(masked("7 " + "w".repeat(80))).isEqualTo(masked("8 " + "w".repeat(80)))
                .contains(TokenMasker.CAPPED);
    }

    @Test
    void overlongTokensKeepAHeadAndAHashOfTheWhole() {
        String a = masked("x" + "y".repeat(100));
        String b = masked("x" + "y".repeat(99) + "z");
        assertThat(a).hasSizeLessThanOrEqualTo(TokenMasker.MAX_TOKEN_CHARS).isNotEqualTo(b);
    }

    @Test
    void tokensGrownByAsidesAndUnitsStayWithinTheCap() {
        TokenMasker.Tokens tokens = new TokenMasker.Tokens();
        masker.tokens("sent" + " (1)".repeat(5_000) + " 7 KB" + " (2 MB)".repeat(5_000), tokens);
        for (int i = 0; i < tokens.size; i++) {
            assertThat(tokens.token[i]).hasSizeLessThanOrEqualTo(TokenMasker.MAX_TOKEN_CHARS);
        }
    }

    @Test
    void tokensPastTheCapFoldIntoOneHashToken() {
        TokenMasker.Tokens tokens = new TokenMasker.Tokens();
        masker.tokens("w ".repeat(200) + "alpha", tokens);
        TokenMasker.Tokens other = new TokenMasker.Tokens();
        masker.tokens("w ".repeat(200) + "omega", other);
        assertThat(tokens.size).isEqualTo(TokenMasker.MAX_TOKENS);
        assertThat(tokens.token[tokens.size - 1]).isNotEqualTo(other.token[other.size - 1]);
    }
}
