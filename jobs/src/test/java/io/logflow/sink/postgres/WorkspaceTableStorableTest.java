package io.logflow.sink.postgres;

import io.logflow.testing.HostileText;
import io.logflow.testing.PostgresExtension;
import io.logflow.workspace.Workspace;
import io.logflow.workspace.WorkspaceChange;
import io.logflow.workspace.WorkspaceJson;
import io.logflow.workspace.WorkspaceStatus;
import io.logflow.workspace.WorkspaceValidation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registrations and validation lines come from tenants; the {@code workspaces} writers (flink-connector-jdbc, which
 * cannot set a row aside) bind them as storable values: hostile ones, not validated, are all stored.
 */
class WorkspaceTableStorableTest {
    private static final PostgresExtension POSTGRES = new PostgresExtension();
    private static PostgresConfig db;

    @BeforeContainer
    static void database() throws Exception {
        db = POSTGRES.freshDatabase();
    }

    @Property(tries = 30)
    void hostileRegistrationsAndValidationsAreAllStored(@ForAll("workspaces") List<Workspace> workspaces,
            @ForAll("texts") String nonce, @ForAll("texts") String logGroup) throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection c = PostgresExtension.connect(db)) {
            c.createStatement().execute("TRUNCATE workspaces");
            try (PreparedStatement change = c.prepareStatement(WorkspaceTable.APPLY_CHANGE);
                    PreparedStatement verify = c.prepareStatement(WorkspaceTable.VERIFY)) {
                for (Workspace w : workspaces) {
                    new WorkspaceTable.ChangeStatement().accept(change, WorkspaceChange.put(w));
                    change.executeUpdate();
                    ids.add(w.id == null ? "" : WorkspaceTable.key(w.id));
                    WorkspaceValidation v = new WorkspaceValidation();
                    v.workspaceId = w.id;
                    v.nonce = nonce;
                    v.logGroup = logGroup;
                    v.verifiedAt = Long.MAX_VALUE;
                    v.workspace = ids.size() % 2 == 0 ? null : w;
                    new WorkspaceTable.ValidationStatement().accept(verify, v);
                    verify.executeUpdate();
                }
                new WorkspaceTable.ChangeStatement().accept(change, WorkspaceChange.delete("gone\0\uD800"));
                change.executeUpdate();
            }
        }
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM workspaces")).isEqualTo(ids.size());
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM workspaces WHERE verified_at IS NOT NULL"))
                .isEqualTo(ids.size());
    }

    @Example
    void aRegistrationsStringsAreStorableAsDecoded() {
        Workspace w = WorkspaceJson.parse("{\"id\":\"acme\",\"name\":\"ACME\\u0000 \\ud800\","
                + "\"description\":\"C:\\\\u0000dir\",\"uploadPrefixes\":[\"acme\\u0000/\"]}");
        assertThat(w.name).isEqualTo("ACME\uFFFD \uFFFD");
        assertThat(w.description).isEqualTo("C:\\u0000dir");
        assertThat(w.uploadPrefixes).containsExactly("acme\uFFFD/");
    }

    @Provide
    Arbitrary<List<Workspace>> workspaces() {
        Arbitrary<List<String>> lists = HostileText.text().list().ofMaxSize(4)
                .map(l -> new ArrayList<>(l)); // nulls inside too
        return Builders.withBuilder(Workspace::new)
                .use(HostileText.text()).in((w, s) -> set(w, () -> w.id = s))
                .use(HostileText.text()).in((w, s) -> set(w, () -> w.name = s))
                .use(HostileText.text()).in((w, s) -> set(w, () -> w.description = s))
                .use(HostileText.text()).in((w, s) -> set(w, () -> w.awsAccountId = s))
                .use(lists).in((w, l) -> set(w, () -> w.logGroups = l))
                .use(lists).in((w, l) -> set(w, () -> w.uploadPrefixes = l))
                .use(Arbitraries.of(WorkspaceStatus.class).injectNull(0.2)).in((w, s) -> set(w, () -> w.status = s))
                .build(w -> w)
                .list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<String> texts() {
        return HostileText.text();
    }

    private static <T> T set(T value, Runnable change) {
        change.run();
        return value;
    }
}
