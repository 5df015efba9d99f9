package io.logflow.parse.template;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TemplateMinerTest {

    @Test
    void variablePartsAreMaskedBeforeMining() {
        TemplateMiner miner = new TemplateMiner();
        TemplateMiner.Template a = miner.add("Connection from 10.0.0.1:5432 closed after 35ms");
        TemplateMiner.Template b = miner.add("Connection from 192.168.1.7:80 closed after 120ms");
        assertThat(a.text).isEqualTo("Connection from <IP> closed after <NUM>");
        assertThat(b.id).isEqualTo(a.id);
        assertThat(miner.size()).isEqualTo(1);
    }

    @Test
    void differingWordsBecomeWildcardsOnceSimilarEnough() {
        TemplateMiner miner = new TemplateMiner();
        assertThat(miner.add("User alice logged in").text).isEqualTo("User alice logged in");
        TemplateMiner.Template merged = miner.add("User bob logged in");
        assertThat(merged.text).isEqualTo("User <*> logged in");
        assertThat(merged.id).isEqualTo(TemplateMiner.id("User <*> logged in"));
        assertThat(miner.add("User carol logged in").id).isEqualTo(merged.id);
    }

    @Test
    void dissimilarOrDifferentLengthMessagesFoundNewTemplates() {
        TemplateMiner miner = new TemplateMiner();
        miner.add("cache warmed in region eu");
        miner.add("cache evicted 3 stale keys"); // same first token, same length, 1 of 5 tokens equal
        miner.add("cache warmed");               // other length
        assertThat(miner.size()).isEqualTo(3);
    }

    @Test
    void idsAreTheSameAcrossMinersAndRuns() {
        String message = "Deleted file /tmp/upload-77.csv for request 8f507cfc-0000-4000-8000-000000000001";
        TemplateMiner.Template one = new TemplateMiner().add(message);
        TemplateMiner.Template two = new TemplateMiner().add(message);
        assertThat(one.text).isEqualTo("Deleted file <PATH> for request <UUID>");
        assertThat(two.id).isEqualTo(one.id).hasSize(16);
        assertThat(TemplateMiner.id("")).isEqualTo("cbf29ce484222325"); // the FNV-1a 64 offset basis
    }

    @Test
    void maskerKnowsQuotesHexIpv6UrlsTimesAndKeepsWords() {
        TokenMasker m = new TokenMasker(64, 96);
        assertThat(String.join(" ", m.tokens("GET \"/a b c\" from fe80::1 via https://x.io/p at 12:00:01.5, ok")))
                .isEqualTo("GET <STR> from <IP> via <URL> at <NUM>, ok");
        assertThat(String.join(" ", m.tokens("ptr=0x7ffde4a0 sha deadbeef01 (took 35ms) don't stop")))
                .isEqualTo("ptr=<HEX> sha <HEX> (took <NUM>) don't stop");
        assertThat(String.join(" ", m.tokens("at 2024-06-15T12:00:00Z user:42 'quoted words' end")))
                .isEqualTo("at <TS> user:<NUM> <STR> end");
    }

    @Test
    void longMessagesKeepATailWildcard() {
        TokenMasker m = new TokenMasker(4, 96);
        assertThat(m.tokens("a b c d e f")).containsExactly("a", "b", "c", TokenMasker.ANY);
    }

    @Test
    void stateStaysBoundedUnderEndlessNewTemplates() {
        TemplateMiner miner = new TemplateMiner(4, 0.5, 10, 50);
        for (int i = 0; i < 5000; i++) {
            // a new first word and length each time: a new leaf and a new template
            String word = "w" + Integer.toString(i, 26).replaceAll("[0-9]", "q");
            miner.add(word + " alpha beta".repeat(1 + i % 7));
        }
        assertThat(miner.size()).isEqualTo(50);
        // root + 7 length nodes + at most 10 first-token nodes under each + one leaf each at most
        assertThat(miner.nodeCount()).isLessThanOrEqualTo(1 + 7 + 7 * 10);
    }

    @Test
    void wideFanOutGoesDownTheWildcardBranch() {
        TemplateMiner miner = new TemplateMiner(4, 0.5, 3, 1000);
        for (String w : new String[] {"alpha", "bravo", "charlie", "delta", "echo"}) {
            miner.add(w + " finished task");
        }
        // alpha and bravo get their own nodes (3 children minus the wildcard slot); the rest share <*> and merge
        assertThat(miner.size()).isEqualTo(3);
        assertThat(miner.add("foxtrot finished task").text).isEqualTo("<*> finished task");
    }
}
