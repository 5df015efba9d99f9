package io.logflow.workspace;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WorkspaceIndexTest {
    static final String ACCOUNT = "123456789012";

    @Test
    void exactBeatsPrefixAndLongestPrefixWinsWithinTheKeysAccount() {
        WorkspaceIndex index = WorkspaceIndex.of(List.of(
                cw("all", "/aws/lambda/*"),
                cw("pay", "/aws/lambda/pay*"),
                cw("checkout", "/aws/lambda/pay-checkout"),
                new Workspace("other-account", "o", "999999999999", List.of("/aws/lambda/search"), List.of())));

        assertThat(index.ownerOf(ACCOUNT + "//aws/lambda/pay-checkout")).isEqualTo("checkout");
        assertThat(index.match(ACCOUNT + "//aws/lambda/pay-checkout").exact).isTrue();
        assertThat(index.ownerOf(ACCOUNT + "//aws/lambda/pay-refund")).isEqualTo("pay");
        assertThat(index.ownerOf(ACCOUNT + "//aws/lambda/search")).isEqualTo("all");
        assertThat(index.ownerOf("999999999999//aws/lambda/search")).isEqualTo("other-account");
        assertThat(index.ownerOf("999999999999//aws/lambda/else")).isNull();
        assertThat(index.ownerOf(ACCOUNT + "//ecs/x")).isNull();
        assertThat(index.ownerOf(null)).isNull();
    }

    @Test
    void uploadPrefixesMatchFileUrisInEitherSpelling() {
        WorkspaceIndex index = WorkspaceIndex.of(List.of(
                new Workspace("a", "a", null, List.of(), List.of("file:///data/a/")),
                new Workspace("deep", "d", null, List.of(), List.of("file:/data/a/deep/"))));
        assertThat(index.ownerOf("file:/data/a/app.log")).isEqualTo("a");
        assertThat(index.ownerOf("file:///data/a/deep/app.log")).isEqualTo("deep");
        assertThat(index.ownerOf("file:/data/b/app.log")).isNull();
    }

    @Test
    void relativeUploadPrefixesMatchTheUploadSourcesWorkspaceFolderKeys() {
        WorkspaceIndex index = WorkspaceIndex.of(List.of(
                new Workspace("acme", "a", null, List.of(), List.of("acme/")),
                new Workspace("acme-eu", "e", null, List.of(), List.of("acme-eu/", "misc/acme-eu-"))));
        assertThat(index.ownerOf("acme")).isEqualTo("acme"); // <workspace> of acme/checkout/2026/11/23/app.log
        assertThat(index.ownerOf("acme-eu")).isEqualTo("acme-eu");
        assertThat(index.ownerOf("acme/odd/path.log")).isEqualTo("acme"); // a path the pattern did not match
        assertThat(index.ownerOf("misc/acme-eu-1.log")).isEqualTo("acme-eu");
        assertThat(index.ownerOf("acme2")).isNull();
    }

    @Test
    void sameClaimByTwoWorkspacesGoesToTheLowestIdInAnyOrderAndIsReported() {
        List<Workspace> workspaces = new ArrayList<>(List.of(cw("b-team", "/shared", "/b-only"), cw("a-team", "/shared"),
                cw("c-team", "/shared")));
        for (int i = 0; i < 3; i++) {
            Collections.rotate(workspaces, 1);
            WorkspaceIndex index = WorkspaceIndex.of(workspaces);
            assertThat(index.ownerOf(ACCOUNT + "//shared")).isEqualTo("a-team");
            assertThat(index.ownerOf(ACCOUNT + "//b-only")).isEqualTo("b-team");
            assertThat(index.conflicts()).extracting(Object::toString)
                    .containsExactly(ACCOUNT + ":/shared claimed by a-team and b-team, c-team; a-team wins");
        }
    }

    @Test
    void updatesHandAClaimOnWhenItsWinnerIsDeletedSuspendedOrReRegistered() {
        Workspace a = cw("a-team", "/shared", "/a-*");
        Workspace b = cw("b-team", "/shared");
        WorkspaceIndex index = WorkspaceIndex.of(List.of(b, a));
        assertThat(index.ownerOf(ACCOUNT + "//shared")).isEqualTo("a-team");
        assertThat(index.conflictCount()).isEqualTo(1);
        assertThat(index.conflictsOf(b)).extracting(Object::toString)
                .containsExactly(ACCOUNT + ":/shared claimed by a-team and b-team; a-team wins");

        Workspace aWithoutShared = cw("a-team", "/a-*");
        index.update(a, aWithoutShared); // re-registered without the shared log group
        assertThat(index.ownerOf(ACCOUNT + "//shared")).isEqualTo("b-team");
        assertThat(index.ownerOf(ACCOUNT + "//a-x")).isEqualTo("a-team");
        assertThat(index.conflictCount()).isZero();
        assertThat(index.conflictsOf(b)).isEmpty();

        Workspace bSuspended = cw("b-team", "/shared");
        bSuspended.status = WorkspaceStatus.SUSPENDED;
        index.update(b, bSuspended);
        assertThat(index.ownerOf(ACCOUNT + "//shared")).isNull();
        assertThat(index.size()).isEqualTo(1);

        index.update(aWithoutShared, null); // deleted
        assertThat(index.ownerOf(ACCOUNT + "//a-x")).isNull();
        assertThat(index.size()).isZero();
    }

    @Test
    void sameLogGroupNameInTwoAccountsIsNoConflict() {
        Workspace other = new Workspace("other", "other", "999999999999", List.of("/shared"), List.of());
        WorkspaceIndex index = WorkspaceIndex.of(List.of(cw("mine", "/shared"), other));
        assertThat(index.ownerOf(ACCOUNT + "//shared")).isEqualTo("mine");
        assertThat(index.ownerOf("999999999999//shared")).isEqualTo("other");
        assertThat(index.conflicts()).isEmpty();
        assertThat(index.conflictCount()).isZero();
    }

    @Test
    void conflictsWithListsTheClaimsAnotherWorkspaceAlreadyMakes() {
        List<Workspace> current = List.of(cw("a", "/x", "/y*"),
                new Workspace("u", "u", null, List.of(), List.of("s3://b/p/")));
        Workspace candidate = new Workspace("c", "c", ACCOUNT, List.of("/x", "/y*", "/z"), List.of("s3://b/p/"));

        assertThat(WorkspaceIndex.conflictsWith(current, candidate)).containsExactly(
                "log group " + ACCOUNT + ":/x is already claimed by workspace 'a'",
                "log group " + ACCOUNT + ":/y* is already claimed by workspace 'a'",
                "upload prefix s3://b/p/ is already claimed by workspace 'u'");
        // its own earlier registration, and overlapping but different patterns, are no conflict
        assertThat(WorkspaceIndex.conflictsWith(current, cw("a", "/x", "/q"))).isEmpty();
        assertThat(WorkspaceIndex.conflictsWith(current, cw("d", "/y-exact", "/y-*"))).isEmpty();
    }

    private static Workspace cw(String id, String... logGroups) {
        return new Workspace(id, id, ACCOUNT, List.of(logGroups), List.of());
    }
}
