package io.logflow.parse.template;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TemplateMinerTest {

    @Test
    void variablePartsAreMaskedBeforeMining() {
        TemplateMiner miner = new TemplateMiner(1);
        TemplateMatch a = miner.add("Connection from 10.0.0.1:5432 closed after 35ms", 0);
        TemplateMatch b = miner.add("Connection from 192.168.1.7:80 closed after 120ms", 0);
        assertThat(a.text).isEqualTo("Connection from <IP>:<NUM> closed after <NUM>ms");
        assertThat(b.id).isEqualTo(a.id);
        assertThat(miner.size()).isEqualTo(1);
    }

    @Test
    void aTemplateKeepsItsIdWhileItGeneralises() {
        TemplateMiner miner = new TemplateMiner(1);
        TemplateMatch first = miner.add("Worker blk_1 released lease on node-a for job 17", 0);
        TemplateMatch second = miner.add("Worker blk_2 released lease on node-b for job 18", 0);
        assertThat(second.text).isEqualTo("Worker blk_<NUM> released lease on <*> for job <NUM>");
        assertThat(second.id).isEqualTo(first.id);
        assertThat(second.text).isNotEqualTo(first.text);
        assertThat(miner.add("Worker blk_3 released lease on node-c for job 19", 0).id).isEqualTo(first.id);
    }

    @Test
    void idsDependOnSeedAndFoundingLineOnly() {
        String message = "Deleted file /tmp/upload-77.csv for request 8f507cfc-0000-4000-8000-000000000001";
        TemplateMatch one = new TemplateMiner(7).add(message, 0);
        TemplateMiner warmed = new TemplateMiner(7);
        warmed.add("something else entirely happened here", 0);
        TemplateMatch two = warmed.add(message, 0);
        TemplateMatch other = new TemplateMiner(8).add(message, 0);
        assertThat(one.text).isEqualTo("Deleted file <PATH> for request <UUID>");
        assertThat(two.id).isEqualTo(one.id).matches("[0-9a-f]{16}");
        assertThat(other.id).isNotEqualTo(one.id);
    }

    @Test
    void shortMessagesThatDifferInAWordAreDifferentTemplates() {
        TemplateMiner miner = new TemplateMiner(1);
        String instance = "[instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] ";
        Set<String> ids = new HashSet<>();
        for (String state : List.of("Started", "Paused", "Resumed", "Stopped")) {
            ids.add(miner.add(instance + "VM " + state + " (Lifecycle Event)", 0).id);
        }
        assertThat(ids).hasSize(4);
        assertThat(miner.add("Session: 30546173_4261722401 initialized by client WindowsUpdateAgent.", 0).id)
                .isNotEqualTo(miner.add("Session: 30546173_4262462443 initialized by client SPP.", 0).id);
        assertThat(miner.add("Ending TrustedInstaller initialization.", 0).id)
                .isNotEqualTo(miner.add("Ending TrustedInstaller finalization.", 0).id);
    }

    @Test
    void valuesOfVaryingShapeStayInOneTemplate() {
        TemplateMiner miner = new TemplateMiner(1);
        String id = miner.add("proxy.example.org:5070 close, 0 bytes sent, 0 bytes received, lifetime 00:01", 0).id;
        assertThat(miner.add("proxy.example.org:5070 close, 451 bytes sent, 18846 bytes (18.4 KB) received, "
                + "lifetime <1 sec", 0).id).isEqualTo(id);
        assertThat(miner.add("10.0.0.9:443 close, 1190 bytes (1.16 KB) sent, 1671 bytes (1.63 KB) received, "
                + "lifetime 02:00", 0).id).isEqualTo(id);
        assertThat(miner.size()).isEqualTo(1);
    }

    @Test
    void valuesJoinedBySeparatorsAreMasked() {
        TemplateMiner miner = new TemplateMiner(1);
        TemplateMatch a = miner.add("setTodayTotalDetailSteps=1514038440000##7007##548365##8661##12361##27173954", 0);
        TemplateMatch b = miner.add("setTodayTotalDetailSteps=1514038440000##7008##548365##8661##12456##27174269", 0);
        TemplateMatch c = miner.add("setTodayTotalDetailSteps=1514038440000##7008", 0);
        assertThat(a.text).isEqualTo("setTodayTotalDetailSteps=<NUM>");
        assertThat(b.id).isEqualTo(a.id);
        assertThat(c.id).isEqualTo(a.id);
    }

    @Test
    void longTokensKeepTheirDifferences() {
        TemplateMiner miner = new TemplateMiner(1);
        String letters = "abcdefghijklmnopqrstuvwxyz".repeat(5);
        TemplateMatch one = miner.add("loaded Alpha" + letters, 0);
        TemplateMatch two = miner.add("loaded Omega" + letters, 0);
        assertThat(two.id).isNotEqualTo(one.id);
        assertThat(one.text).hasSizeLessThan(80);
    }

    @Test
    void compactJsonIsSplitIntoFields() {
        TemplateMiner miner = new TemplateMiner(1);
        TemplateMatch a = miner.add("{\"event\":\"login\",\"user\":\"u17\",\"ms\":35}", 0);
        TemplateMatch b = miner.add("{\"event\":\"login\",\"user\":\"u18\",\"ms\":120}", 0);
        TemplateMatch c = miner.add("{\"event\":\"logout\",\"user\":\"u18\",\"ms\":120}", 0);
        assertThat(b.id).isEqualTo(a.id);
        assertThat(c.id).isNotEqualTo(a.id);
    }

    @Test
    void reportsWhenFoundedWhenTheTextChangesAndOncePerMinuteOfEventTime() {
        TemplateMiner miner = new TemplateMiner(1);
        TemplateMatch founded = miner.add("Worker blk_1 released lease on node-a", 1_000);
        assertThat(founded.report).isTrue();
        assertThat(founded.count).isEqualTo(1);
        assertThat(miner.add("Worker blk_1 released lease on node-a", 2_000).report).isFalse();
        TemplateMatch generalised = miner.add("Worker blk_2 released lease on node-b", 3_000);
        assertThat(generalised.report).isTrue();
        assertThat(miner.add("Worker blk_3 released lease on node-c", 62_999).report).isFalse();
        TemplateMatch minuteLater = miner.add("Worker blk_4 released lease on node-d", 63_000);
        assertThat(minuteLater.report).isTrue();
        assertThat(miner.add("Worker blk_5 released lease on node-e", 500).report).isFalse(); // late event
        TemplateMatch last = miner.add("Worker blk_6 released lease on node-f", 64_000);
        assertThat(last.count).isEqualTo(7);
        assertThat(last.firstSeen).isEqualTo(500);
        assertThat(last.lastSeen).isEqualTo(64_000);
        assertThat(last.example).isEqualTo("Worker blk_1 released lease on node-a");
    }

    @Test
    void anEvictedTemplateFoundedAgainByTheSameLineGetsItsIdBack() {
        TemplateMiner miner = new TemplateMiner(3, 2);
        String first = miner.add("alpha task finished", 0).id;
        miner.add("beta task finished", 0);
        miner.add("gamma task finished", 0); // evicts alpha, the least recently matched
        assertThat(miner.size()).isEqualTo(2);
        TemplateMatch again = miner.add("alpha task finished", 0);
        assertThat(again.report).isTrue();
        assertThat(again.count).isEqualTo(1);
        assertThat(again.id).isEqualTo(first);
    }

    /** Templates of a leaf never overlap, so a template that generalises cannot take another's lines. */
    @Test
    void aLineSeenBeforeIsNotTakenByATemplateThatGeneralisedLater() {
        TemplateMiner miner = new TemplateMiner(1);
        String c1 = miner.add("s h.a h.b h.c h.d", 0).id;
        String c3 = miner.add("s h.w h.x h.y h.d", 0).id; // 2 of 5 agree: a template of its own
        assertThat(c3).isNotEqualTo(c1);
        assertThat(miner.add("s h.p h.q h.c h.d", 0).id).isEqualTo(c1); // c1 becomes s <*> <*> h.c h.d
        // joining c1 would make it s <*> <*> <*> h.d, which covers c3's line: c3 takes it instead
        TemplateMatch next = miner.add("s h.p h.q h.y h.d", 0);
        assertThat(next.id).isEqualTo(c3);
        assertThat(miner.add("s h.w h.x h.y h.d", 0).id).isEqualTo(c3);
        assertThat(miner.add("s h.a h.b h.c h.d", 0).id).isEqualTo(c1);
    }

    @Test
    void hostileLinesGiveStorableBoundedTemplatesThatSurviveASnapshot() {
        TemplateMiner miner = new TemplateMiner(1);
        String[] hostile = {"nul \u0000 here", "lone \uD800 surrogate", "literal \\u0000 text",
            "x".repeat(200_000), "sent" + " (1)".repeat(20_000), "é ".repeat(60_000)};
        for (String line : hostile) {
            TemplateMatch m = miner.add(line, 0);
            assertThat(io.logflow.model.Storable.isStorable(m.text)).isTrue();
            assertThat(io.logflow.model.Storable.isStorable(m.example)).isTrue();
            assertThat(m.text).hasSizeLessThanOrEqualTo(2_000);
            assertThat(m.example).hasSizeLessThanOrEqualTo(1_000);
        }
        TemplateMiner restored = TemplateMinerSerializer.INSTANCE.copy(miner);
        for (String line : hostile) {
            assertThat(restored.add(line, 0).id).isEqualTo(miner.add(line, 0).id);
        }
    }

    @Test
    void aLineIsMinedAsItsStorableText() {
        // the masker tells the miner whether a line needs cleaning; wherever the NUL or surrogate is, it must see it
        String manyTokens = "w ".repeat(TokenMasker.MAX_TOKENS + 10);
        String[] lines = {"\u0000 first", "last \u0000", "in a wo\u0000rd", "pair \uD83D\uDE00 kept",
            "lone low \uDC00 x", "ünï \uD800", manyTokens + "tail \u0000 past the cap", manyTokens + "\uDBFF"};
        for (String line : lines) {
            TemplateMatch raw = new TemplateMiner(5).add(line, 0);
            TemplateMatch clean = new TemplateMiner(5).add(io.logflow.model.Storable.text(line), 0);
            assertThat(raw.id).as(line).isEqualTo(clean.id);
            assertThat(raw.text).as(line).isEqualTo(clean.text);
            assertThat(raw.example).as(line).isEqualTo(clean.example);
        }
    }

    @Test
    void aSnapshotOfTheFirstFormatIsRead() throws Exception {
        org.apache.flink.core.memory.DataOutputSerializer v1 = new org.apache.flink.core.memory.DataOutputSerializer(64);
        v1.writeByte(1);
        v1.writeLong(3); // seed
        v1.writeInt(10); // maxTemplates
        v1.writeLong(1); // next founding number
        v1.writeInt(1); // templates
        v1.writeLong(0);
        v1.writeUTF("00000000000000aa");
        v1.writeUTF("3 alpha"); // version 1's leaf key: token count and route
        v1.writeShort(3);
        for (String token : new String[] {"alpha", "task", "finished"}) {
            v1.writeByte(2);
            v1.writeUTF(token);
        }
        v1.writeLong(5);
        v1.writeLong(100);
        v1.writeLong(200);
        v1.writeLong(200);
        v1.writeUTF("alpha task finished");
        TemplateMiner restored = TemplateMinerSerializer.INSTANCE.deserialize(
                new org.apache.flink.core.memory.DataInputDeserializer(v1.getCopyOfBuffer()));
        TemplateMatch match = restored.add("alpha task finished", 300);
        assertThat(match.id).isEqualTo("00000000000000aa");
        assertThat(match.count).isEqualTo(6);
        assertThat(match.firstSeen).isEqualTo(100);
    }

    @Test
    void nullAndEmptyMessagesGetAnId() {
        TemplateMiner miner = new TemplateMiner(1);
        TemplateMatch none = miner.add(null, 0);
        assertThat(none.id).matches("[0-9a-f]{16}");
        assertThat(none.text).isEmpty();
        assertThat(miner.add("", 0).id).isEqualTo(none.id);
        assertThat(miner.add("  \t ", 0).id).isEqualTo(none.id);
    }
}
