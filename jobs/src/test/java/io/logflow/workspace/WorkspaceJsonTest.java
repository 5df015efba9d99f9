package io.logflow.workspace;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkspaceJsonTest {

    @Test
    void registrationRoundTripsThroughItsCanonicalJson() {
        Workspace w = WorkspaceJson.parse("{\"id\":\"acme-prod\",\"name\":\"ACME\",\"description\":\"shop\","
                + "\"awsAccountId\":\"123456789012\",\"logGroups\":[\"/aws/lambda/checkout\",\"/ecs/acme/*\"],"
                + "\"uploadPrefixes\":[\"file:///data/acme/\"],\"status\":\"Active\"}");

        assertThat(w.id).isEqualTo("acme-prod");
        assertThat(w.logGroups).containsExactly("/aws/lambda/checkout", "/ecs/acme/*");
        assertThat(w.uploadPrefixes).containsExactly("file:/data/acme/"); // normalised like Flink's paths
        assertThat(w.status).isEqualTo(WorkspaceStatus.ACTIVE);
        assertThat(WorkspaceJson.parse(WorkspaceJson.toJson(w))).isEqualTo(w);
    }

    @Test
    void nameDefaultsToTheIdAndUploadOnlyWorkspacesNeedNoAccount() {
        Workspace w = WorkspaceJson.parse("{\"id\":\"uploads\",\"uploadPrefixes\":[\"s3://bucket/u/\"]}");
        assertThat(w.name).isEqualTo("uploads");
        assertThat(w.awsAccountId).isNull();
    }

    @Test
    void emptyAccountIsRejectedByName() {
        assertThatThrownBy(() -> WorkspaceJson.parse(
                "{\"id\":\"a\",\"awsAccountId\":\"  \",\"logGroups\":[\"/x\"]}"))
                .isInstanceOf(InvalidWorkspaceException.class)
                .hasMessageStartingWith("awsAccountId: empty");
    }

    @Test
    void missingOrMalformedAccountIsRejected() {
        assertThatThrownBy(() -> WorkspaceJson.parse("{\"id\":\"a\",\"logGroups\":[\"/x\"]}"))
                .hasMessageStartingWith("awsAccountId: required with logGroups");
        assertThatThrownBy(() -> WorkspaceJson.parse(
                "{\"id\":\"a\",\"awsAccountId\":\"12345\",\"logGroups\":[\"/x\"]}"))
                .hasMessage("awsAccountId: expected 12 digits, got '12345'");
    }

    @Test
    void malformedLogGroupPatternsAreRejectedWithTheirIndex() {
        String start = "{\"id\":\"a\",\"awsAccountId\":\"123456789012\",\"logGroups\":";
        assertThatThrownBy(() -> WorkspaceJson.parse(start + "[\"/ok\",\"/aws/*/x\"]}"))
                .hasMessage("logGroups[1]: '/aws/*/x' is malformed: '*' may only end a prefix, as in /aws/lambda/*");
        assertThatThrownBy(() -> WorkspaceJson.parse(start + "[\"/has space\"]}"))
                .hasMessageStartingWith("logGroups[0]: '/has space' is malformed");
        assertThatThrownBy(() -> WorkspaceJson.parse(start + "[\"\"]}"))
                .hasMessageStartingWith("logGroups[0]: empty");
        assertThatThrownBy(() -> WorkspaceJson.parse(start + "[\"/a\",\"/a\"]}"))
                .hasMessage("logGroups[1]: '/a' is listed twice");
    }

    @Test
    void otherMistakesNameTheirField() {
        assertThatThrownBy(() -> WorkspaceJson.parse("{\"name\":\"no id\",\"uploadPrefixes\":[\"s3://b/\"]}"))
                .hasMessageStartingWith("id: required");
        assertThatThrownBy(() -> WorkspaceJson.parse("{\"id\":\"a b\",\"uploadPrefixes\":[\"s3://b/\"]}"))
                .hasMessageStartingWith("id: expected");
        assertThatThrownBy(() -> WorkspaceJson.parse("{\"id\":\"a\",\"logGroup\":[\"/x\"]}"))
                .hasMessageStartingWith("unknown field 'logGroup'");
        assertThatThrownBy(() -> WorkspaceJson.parse("{\"id\":\"a\",\"uploadPrefixes\":[\"/abs/x\"]}"))
                .hasMessageStartingWith("uploadPrefixes[0]: '/abs/x' is malformed");
        assertThatThrownBy(() -> WorkspaceJson.parse("{\"id\":\"a\",\"uploadPrefixes\":[\"s3://b/*/x\"]}"))
                .hasMessageStartingWith("uploadPrefixes[0]: 's3://b/*/x' is malformed");
        assertThat(WorkspaceJson.parse("{\"id\":\"a\",\"uploadPrefixes\":[\"acme/\"]}").uploadPrefixes)
                .containsExactly("acme/");
        assertThatThrownBy(() -> WorkspaceJson.parse("{\"id\":\"a\"}"))
                .hasMessageStartingWith("a workspace must claim at least one");
        assertThatThrownBy(() -> WorkspaceJson.parse("{\"id\":\"a\",\"status\":\"gone\",\"uploadPrefixes\":[\"s3://b/\"]}"))
                .hasMessageStartingWith("status: expected 'active' or 'suspended'");
        assertThatThrownBy(() -> WorkspaceJson.parse("[1]")).hasMessageStartingWith("expected a JSON object");
        assertThatThrownBy(() -> WorkspaceJson.parse("{\"id\":")).hasMessageStartingWith("not valid JSON");
    }

    @Test
    void topicRecordsBecomeChangesAndAKeyThatDiffersFromTheIdIsInvalid() {
        String json = WorkspaceJson.toJson(new Workspace("a", "A", null, List.of(), List.of("s3://b/a/")));
        assertThat(WorkspaceRecords.fromRecord("a", json).isPut()).isTrue();
        assertThat(WorkspaceRecords.fromRecord("a", null).isDelete()).isTrue();
        assertThat(WorkspaceRecords.fromRecord("b", json).invalid).contains("differs");
        assertThat(WorkspaceRecords.fromRecord("a", "{oops").invalid).startsWith("not valid JSON");
        assertThat(WorkspaceRecords.fromFileLine("{\"id\":\"a\",\"deleted\":true}").isDelete()).isTrue();
        assertThat(WorkspaceRecords.fromFileLine(json).workspace.id).isEqualTo("a");
        assertThat(WorkspaceRecords.fromFileLine("  ")).isNull();
    }

    @Test
    void validationLineIsFoundBehindAPrefixButNotInsideAWord() {
        ValidationLine v = ValidationLine.find("2026-11-23 INFO logflow-validation workspace=acme nonce=abcdEFGH_123");
        assertThat(v.workspaceId).isEqualTo("acme");
        assertThat(v.nonce).isEqualTo("abcdEFGH_123");
        assertThat(ValidationLine.find("not-logflow-validation workspace=acme nonce=abcdEFGH_123")).isNull();
        assertThat(ValidationLine.find("logflow-validation workspace=acme nonce=short")).isNull();
        assertThat(ValidationLine.find("plain line")).isNull();
        String nonce = ValidationLine.newNonce();
        assertThat(ValidationLine.find(ValidationLine.format("x", nonce)).nonce).isEqualTo(nonce);
    }
}
