package io.logflow.app;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.util.List;

/** Which dead letters {@code logflow replay} feeds through the pipeline again. */
public final class ReplayOptions {
    private ReplayOptions() {}

    public static final ConfigOption<String> REASON = ConfigOptions.key("replay.reason")
            .stringType()
            .defaultValue("unknown_workspace")
            .withDescription("Reason code of the failures to replay.");

    public static final ConfigOption<String> FROM = ConfigOptions.key("replay.from")
            .stringType()
            .noDefaultValue()
            .withDescription("Only failures recorded at or after this instant or day (2026-11-02T10:00:00Z, 2026-11-02).");

    public static final ConfigOption<String> TO = ConfigOptions.key("replay.to")
            .stringType()
            .noDefaultValue()
            .withDescription("Only failures recorded before this instant, or before the end of this day.");

    public static final ConfigOption<String> WORKSPACE = ConfigOptions.key("replay.workspace")
            .stringType()
            .noDefaultValue()
            .withDescription("Only failures of this workspace (failures that know theirs).");

    public static final ConfigOption<Integer> MAX_FAILURES = ConfigOptions.key("replay.max-failures")
            .intType()
            .defaultValue(100_000)
            .withDescription("Most failures one replay takes (oldest first); run it again for more.");

    public static List<ConfigOption<?>> all() {
        return List.of(REASON, FROM, TO, WORKSPACE, MAX_FAILURES);
    }
}
