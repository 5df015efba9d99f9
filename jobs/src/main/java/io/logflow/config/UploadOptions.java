package io.logflow.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;

/** Options of the file/upload source. */
public final class UploadOptions {
    private UploadOptions() {}

    public static final ConfigOption<String> PATH = ConfigOptions.key("uploads.path")
            .stringType()
            .noDefaultValue()
            .withDescription("Folder URI to read log files from (file:///data/logs, s3://bucket/prefix); "
                    + "unset turns the upload source off.");

    public static final ConfigOption<Duration> MONITOR_INTERVAL = ConfigOptions.key("uploads.monitor-interval")
            .durationType()
            .noDefaultValue()
            .withDescription("How often to look for new files; unset reads the folder once and finishes.");

    public static final ConfigOption<Integer> MAX_LINE_BYTES = ConfigOptions.key("uploads.max-line-bytes")
            .intType()
            .defaultValue(1024 * 1024)
            .withDescription("Longest line read; a longer one becomes a 'line_too_long' failure.");
}
