package io.logflow.workspace;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An index kept up to date one registration at a time answers exactly as one built from scratch from the
 * registrations in force at the end, whatever the order of puts, re-registrations, suspensions and deletions: same
 * owner and deciding claim for every routing key, same conflicts, same count of active workspaces.
 */
class WorkspaceIndexPropertiesTest {
    static final List<String> ACCOUNTS = List.of("111111111111", "222222222222");
    static final List<String> PATTERNS = List.of("/a", "/a/*", "/a/x", "/a/x*", "/b*", "/b/z", "*");
    static final List<String> PREFIXES = List.of("acme/", "acme/eu/", "s3://bucket/", "s3://bucket/acme/",
            "file:///data/a/", "file:/data/a/");
    static final List<String> KEYS = List.of("111111111111//a", "111111111111//a/x", "111111111111//a/xy",
            "111111111111//b", "111111111111//b/z", "222222222222//a/x", "222222222222//c", "333333333333//a",
            "acme", "acme/eu/app.log", "acme-2", "s3://bucket/acme/x.log", "s3://bucket/other.log",
            "file:///data/a/app.log", "file:/data/a/b.log", "elsewhere");
    static final List<String> IDS = List.of("w1", "w2", "w3", "w4");

    @Property(tries = 300)
    void updatedOneChangeAtATimeItAnswersLikeAFreshIndex(@ForAll("changes") List<Workspace> changes) {
        Map<String, Workspace> registered = new HashMap<>();
        WorkspaceIndex incremental = WorkspaceIndex.of(List.of());
        for (int i = 0; i < changes.size(); i++) {
            Workspace change = changes.get(i);
            boolean delete = change.logGroups.isEmpty() && change.uploadPrefixes.isEmpty();
            // A key asked just before a change is answered anew just after it (the index remembers its last answer).
            String asked = KEYS.get(i % KEYS.size());
            incremental.match(asked);
            Workspace previous = delete ? registered.remove(change.id) : registered.put(change.id, change);
            incremental.update(previous, delete ? null : change);
            assertThat(String.valueOf(incremental.match(asked))).as(asked)
                    .isEqualTo(String.valueOf(WorkspaceIndex.of(registered.values()).match(asked)));
        }
        WorkspaceIndex fresh = WorkspaceIndex.of(registered.values());
        for (String key : KEYS) {
            assertThat(String.valueOf(incremental.match(key))).as(key).isEqualTo(String.valueOf(fresh.match(key)));
        }
        assertThat(incremental.conflicts()).isEqualTo(fresh.conflicts());
        assertThat(incremental.conflictCount()).isEqualTo(fresh.conflicts().size());
        assertThat(incremental.size()).isEqualTo(fresh.size())
                .isEqualTo((int) registered.values().stream().filter(Workspace::isActive).count());
        for (Workspace w : registered.values()) {
            assertThat(incremental.conflictsOf(w)).as("conflicts of %s", w.id)
                    .isEqualTo(fresh.conflicts().stream()
                            .filter(c -> w.isActive() && (c.winner.equals(w.id) || c.losers.contains(w.id)))
                            .toList());
        }
    }

    /** Registrations (a workspace with no claims stands for the deletion of its id). */
    @Provide
    Arbitrary<List<Workspace>> changes() {
        Arbitrary<Workspace> put = Combinators.combine(Arbitraries.of(IDS), Arbitraries.of(ACCOUNTS),
                        Arbitraries.of(PATTERNS).set().ofMaxSize(3), Arbitraries.of(PREFIXES).set().ofMaxSize(2),
                        Arbitraries.integers().between(0, 9))
                .as((id, account, patterns, prefixes, dice) -> {
                    Workspace w = new Workspace(id, id, account, new ArrayList<>(patterns), new ArrayList<>(prefixes));
                    w.status = dice == 0 ? WorkspaceStatus.SUSPENDED : WorkspaceStatus.ACTIVE;
                    return w;
                });
        return put.list().ofMinSize(1).ofMaxSize(40);
    }
}
