package io.logflow.workspace;

import org.apache.flink.api.common.typeinfo.TypeInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A tenant's registration: which CloudWatch log groups (of one AWS account) and which upload prefixes belong to it.
 * The value of a record on the registrations topic (key = {@link #id}), in JSON via {@link WorkspaceJson}. A Flink
 * POJO (the lists carry a type factory), so it travels without Kryo.
 *
 * <p>A log-group entry is an exact name ({@code /aws/lambda/checkout}) or a prefix ending in {@code *}
 * ({@code /aws/lambda/*}). An upload prefix is a folder below the uploads folder ({@code acme/}: the upload source's
 * {@code <workspace>} folder) or a URI prefix ({@code s3://bucket/acme/}), matched against the upload's routing key.
 */
public class Workspace {
    public String id;
    public String name;
    public String description;
    /** 12-digit AWS account whose log groups are listed in {@link #logGroups}; required when there are any. */
    public String awsAccountId;

    @TypeInfo(StringListTypeInfoFactory.class)
    public List<String> logGroups = new ArrayList<>();

    @TypeInfo(StringListTypeInfoFactory.class)
    public List<String> uploadPrefixes = new ArrayList<>();

    public WorkspaceStatus status = WorkspaceStatus.ACTIVE;

    public Workspace() {}

    public Workspace(String id, String name, String awsAccountId, List<String> logGroups, List<String> uploadPrefixes) {
        this.id = id;
        this.name = name;
        this.awsAccountId = awsAccountId;
        this.logGroups = new ArrayList<>(logGroups);
        this.uploadPrefixes = new ArrayList<>(uploadPrefixes);
    }

    public boolean isActive() {
        return status == WorkspaceStatus.ACTIVE;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Workspace)) {
            return false;
        }
        Workspace w = (Workspace) o;
        return Objects.equals(id, w.id)
                && Objects.equals(name, w.name)
                && Objects.equals(description, w.description)
                && Objects.equals(awsAccountId, w.awsAccountId)
                && Objects.equals(logGroups, w.logGroups)
                && Objects.equals(uploadPrefixes, w.uploadPrefixes)
                && status == w.status;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, awsAccountId, logGroups, uploadPrefixes);
    }

    @Override
    public String toString() {
        return "Workspace{" + id + ", account=" + awsAccountId + ", logGroups=" + logGroups + ", uploadPrefixes="
                + uploadPrefixes + ", " + status + '}';
    }
}
