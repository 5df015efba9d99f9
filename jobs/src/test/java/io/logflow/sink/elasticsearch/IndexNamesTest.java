package io.logflow.sink.elasticsearch;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IndexNamesTest {
    private static final IndexNames DEFAULT = IndexNames.parse("logflow-<workspace>-<yyyy.MM.dd>", "_unassigned");
    private static final long NOV_2_2026_0900_UTC = 1_793_610_000_000L;

    /** What Elasticsearch 7 accepts as an index name (MetadataCreateIndexService.validateIndexOrAliasName). */
    private static boolean legalIndexName(String name) {
        return !name.isEmpty() && name.equals(name.toLowerCase(java.util.Locale.ROOT))
                && name.chars().noneMatch(c -> "\\/*?\"<>| ,#:".indexOf(c) >= 0)
                && "-_+".indexOf(name.charAt(0)) < 0 && !name.equals(".") && !name.equals("..")
                && name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 255;
    }

    @Test
    void safeWorkspaceIdAndUtcDayNameTheIndex() {
        assertThat(DEFAULT.index("acme-prod", NOV_2_2026_0900_UTC)).isEqualTo("logflow-acme-prod-2026.11.02");
        // 23:59:59.999 UTC is still the same day; midnight UTC the next
        long endOfDay = 1_793_663_999_999L;
        assertThat(DEFAULT.index("acme", endOfDay)).isEqualTo("logflow-acme-2026.11.02");
        assertThat(DEFAULT.index("acme", endOfDay + 1)).isEqualTo("logflow-acme-2026.11.03");
    }

    @Test
    void eventsWithoutWorkspaceGoToTheUnassignedIndex() {
        assertThat(DEFAULT.index(null, NOV_2_2026_0900_UTC)).isEqualTo("logflow-_unassigned-2026.11.02");
        assertThat(DEFAULT.index("  ", NOV_2_2026_0900_UTC)).isEqualTo("logflow-_unassigned-2026.11.02");
    }

    @Test
    void hostileWorkspaceIdsStayInsideTheirOwnIndex() {
        List<String> hostile = List.of("../acme", "acme/../other", "acme,other", "acme*", "*", "_all", "..", ".",
                "-acme", "+acme", "_unassigned", "acme other", "acme#1", "acme|other", "acme\"", "acme<x>", "acme?",
                "a\\b", "acme:1", "ACME", "Acme", "acme\u0000", "ünïcode", "x".repeat(300), "acme\n", "_", "-", "~");
        Map<String, String> seen = new HashMap<>();
        seen.put("acme", DEFAULT.index("acme", NOV_2_2026_0900_UTC));
        seen.put("other", DEFAULT.index("other", NOV_2_2026_0900_UTC));
        seen.put("(none)", DEFAULT.index(null, NOV_2_2026_0900_UTC));
        for (String id : hostile) {
            String index = DEFAULT.index(id, NOV_2_2026_0900_UTC);
            assertThat(legalIndexName(index)).as("legal index name for '%s': %s", id, index).isTrue();
            assertThat(index).as("'%s' is confined to one literal index", id).startsWith("logflow-")
                    .endsWith("-2026.11.02").doesNotContain("*", ",", "/");
            assertThat(seen.values()).as("index of '%s' is nobody else's", id).doesNotContain(index);
            seen.put(id, index);
        }
    }

    @Test
    void sanitiserKeepsSafeIdsAndMarksChangedOnesWithTheirHash() {
        assertThat(IndexNames.sanitise("acme")).isEqualTo("acme");
        assertThat(IndexNames.sanitise("acme.prod_eu-1")).isEqualTo("acme.prod_eu-1");
        assertThat(IndexNames.sanitise("Acme")).matches("acme~[0-9a-f]{16}");
        assertThat(IndexNames.sanitise("acme/x")).matches("acme_x~[0-9a-f]{16}");
        assertThat(IndexNames.sanitise("_all")).matches("all~[0-9a-f]{16}");
        // two different unsafe ids that clean to the same text still differ
        assertThat(IndexNames.sanitise("a/b")).isNotEqualTo(IndexNames.sanitise("a b"));
        // a safe id can never look like the sanitised form of another (safe ids contain no '~')
        String sanitised = IndexNames.sanitise("Acme");
        assertThat(IndexNames.sanitise(sanitised)).isNotEqualTo(sanitised);
        assertThat(IndexNames.sanitise("x".repeat(300)).length()).isLessThanOrEqualTo(40 + 1 + 16);
        assertThat(IndexNames.sanitise("x".repeat(IndexNames.MAX_SAFE_LENGTH))).isEqualTo("x".repeat(64));
    }

    @Test
    void templatePatternAndWorkspaceIndicesComeFromThePattern() {
        assertThat(DEFAULT.templatePattern()).isEqualTo("logflow-*");
        assertThat(DEFAULT.indicesOf("acme")).isEqualTo("logflow-acme-*");
        IndexNames monthly = IndexNames.parse("logs-<yyyy.MM>-<workspace>", "_none");
        assertThat(monthly.index("acme", NOV_2_2026_0900_UTC)).isEqualTo("logs-2026.11-acme");
        assertThat(monthly.index(null, NOV_2_2026_0900_UTC)).isEqualTo("logs-2026.11-_none");
    }

    @Test
    void badPatternsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> IndexNames.parse("logflow-<workspace>-<workspace>-<yyyy.MM.dd>", "_u"))
                .hasMessageContaining("<workspace> at most once");
        assertThatThrownBy(() -> IndexNames.parse("<workspace>-<yyyy.MM.dd>", "_u"))
                .hasMessageContaining("literal prefix");
        assertThatThrownBy(() -> IndexNames.parse("Logflow-<workspace>", "_u")).hasMessageContaining("lowercase");
        assertThatThrownBy(() -> IndexNames.parse("logflow-<workspace>-<tenant>", "_u"))
                .hasMessageContaining("unknown placeholder <tenant>");
        assertThatThrownBy(() -> IndexNames.parse("logflow-<workspace>-<yyyy>-<MM>", "_u"))
                .hasMessageContaining("more than one date");
        assertThatThrownBy(() -> IndexNames.parse("logflow-<workspace>", "unassigned"))
                .hasMessageContaining("must start with '_'");
    }

    @Test
    void sharedPatternNamesOneIndexPerDayForAllWorkspaces() {
        IndexNames shared = IndexNames.parse("logflow-shared-<yyyy.MM.dd>", "_unassigned");
        assertThat(shared.shared()).isTrue();
        assertThat(DEFAULT.shared()).isFalse();
        assertThat(shared.index("acme", NOV_2_2026_0900_UTC)).isEqualTo("logflow-shared-2026.11.02");
        assertThat(shared.index("Globex/../x", NOV_2_2026_0900_UTC)).isEqualTo("logflow-shared-2026.11.02");
        assertThat(shared.index(null, NOV_2_2026_0900_UTC)).isEqualTo("logflow-shared-2026.11.02");
        assertThat(shared.templatePattern()).isEqualTo("logflow-shared-*");
    }

    @Test
    void periodEndComesFromTheDateAtTheEndOfTheName() {
        IndexNames shared = IndexNames.parse("logflow-shared-<yyyy.MM.dd>", "_unassigned");
        long nov3 = java.time.Instant.parse("2026-11-03T00:00:00Z").toEpochMilli();
        assertThat(shared.periodEnd("logflow-shared-2026.11.02", null)).isEqualTo(nov3);
        assertThat(shared.periodEnd("logflow-shared-2026.13.02", null)).isEqualTo(-1);
        assertThat(shared.periodEnd("logflow-shared-x-2026.11.02", null)).isEqualTo(-1);
        assertThat(shared.periodEnd("other-2026.11.02", null)).isEqualTo(-1);
        assertThat(DEFAULT.periodEnd("logflow-acme-x-2026.11.02", "acme-x")).isEqualTo(nov3);
        assertThat(DEFAULT.periodEnd("logflow-acme-x-2026.11.02", "acme")).isEqualTo(-1);
        assertThat(DEFAULT.periodEnd("logflow-acme-x-2026.11.02", null)).isEqualTo(nov3);
        IndexNames hourly = IndexNames.parse("logs-<workspace>-<yyyy.MM.dd.HH>", "_u");
        assertThat(hourly.periodEnd("logs-a-2026.11.02.09", "a"))
                .isEqualTo(java.time.Instant.parse("2026-11-02T10:00:00Z").toEpochMilli());
        IndexNames monthly = IndexNames.parse("logs-<yyyy.MM>-<workspace>", "_none");
        assertThat(monthly.periodEnd("logs-2026.11-acme", "acme")).as("date not last: never expires").isEqualTo(-1);
    }

    @Test
    void anIndexBelongsToTheWorkspaceWhoseNameItHoldsWithADateOfThePatternsShape() {
        IndexNames dedicated = IndexNames.parse("logflow-dedicated-<workspace>-<yyyy.MM.dd>", "_unassigned");
        assertThat(dedicated.isIndexOf("logflow-dedicated-bigco-2026.11.02", "bigco")).isTrue();
        assertThat(dedicated.isIndexOf("logflow-dedicated-bigco-eu-2026.11.02", "bigco")).isFalse();
        assertThat(dedicated.isIndexOf("logflow-dedicated-bigco-2-2026.11.02", "bigco")).isFalse();
        assertThat(dedicated.isIndexOf("logflow-dedicated-bigco-2-2026.11.02", "bigco-2")).isTrue();
        assertThat(dedicated.isIndexOf("logflow-dedicated-bigco-2026.11.02", null)).isTrue();
        assertThat(dedicated.isIndexOf(dedicated.index("Big Co", NOV_2_2026_0900_UTC), "Big Co")).isTrue();
        assertThat(dedicated.isIndexOf("logflow-dedicated-bigco-2026.11.02x", "bigco")).isFalse();
        IndexNames shared = IndexNames.parse("logflow-<yyyy.MM.dd>", "_unassigned");
        assertThat(shared.isIndexOf("logflow-2026.11.02", null)).isTrue();
        assertThat(shared.isIndexOf("logflow-dedicated-bigco-2026.11.02", null)).as("same prefix, not its name")
                .isFalse();
        IndexNames monthly = IndexNames.parse("logs-<yyyy.MM>-<workspace>", "_none");
        assertThat(monthly.isIndexOf("logs-2026.11-acme", "acme")).isTrue();
        assertThat(monthly.isIndexOf("logs-2026.11-acme", "acm")).isFalse();
    }

    @Test
    void anIndexNameIsReadBackIntoItsWorkspacePartAndPeriod() {
        long nov2 = java.time.Instant.parse("2026-11-02T00:00:00Z").toEpochMilli();
        assertThat(DEFAULT.read("logflow-acme-x-2026.11.02")).isEqualTo(new IndexNames.Parsed("acme-x", nov2));
        String unsafe = DEFAULT.index("Big Co/..", NOV_2_2026_0900_UTC);
        assertThat(DEFAULT.read(unsafe).workspacePart()).isEqualTo(IndexNames.sanitise("Big Co/.."));
        assertThat(DEFAULT.read("logflow-acme-2026.13.02")).as("no such month").isNull();
        assertThat(DEFAULT.read("logflow-acme")).isNull();
        IndexNames shared = IndexNames.parse("logflow-shared-<yyyy.MM.dd>", "_unassigned");
        assertThat(shared.read("logflow-shared-2026.11.02")).isEqualTo(new IndexNames.Parsed(null, nov2));
    }
}
