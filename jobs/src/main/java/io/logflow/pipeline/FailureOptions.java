package io.logflow.pipeline;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options every stage that records failures shares. */
public final class FailureOptions {
    private FailureOptions() {}

    public static final ConfigOption<Integer> MAX_RAW_BYTES = ConfigOptions.key("failures.max-raw-bytes")
            .intType()
            .defaultValue(8192)
            .withDescription("Bytes of the raw input kept with a failure; the original size is kept too.");
}
