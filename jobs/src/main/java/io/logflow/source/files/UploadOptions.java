package io.logflow.source.files;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

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

    public static final ConfigOption<Duration> HORIZON = ConfigOptions.key("uploads.horizon")
            .durationType()
            .defaultValue(Duration.ofDays(7))
            .withDescription("While watching (uploads.monitor-interval set), only files modified within this long "
                    + "are picked up, and only they are remembered, which keeps the source's state bounded; older "
                    + "files are for a backfill.");

    public static final ConfigOption<String> PATH_PATTERN = ConfigOptions.key("uploads.path-pattern")
            .stringType()
            .defaultValue("<workspace>/<service>/<yyyy>/<mm>/<dd>/<file>")
            .withDescription("Layout of files below uploads.path: gives each file's routing key (<workspace>), "
                    + "service and date; parts are <workspace>, <service>, <yyyy>, <mm>, <dd>, <file>, * or a literal.");

    public static final ConfigOption<MemorySize> MAX_DECOMPRESSED_BYTES =
            ConfigOptions.key("uploads.max-decompressed-bytes")
                    .memoryType()
                    .defaultValue(MemorySize.parse("1 gb"))
                    .withDescription("Bytes all decompression of one file may produce; past it the rest of the file "
                            + "is a 'decompressed_too_large' failure (zip and gzip bombs).");

    public static final ConfigOption<Integer> MAX_ENTRIES = ConfigOptions.key("uploads.max-entries")
            .intType()
            .defaultValue(10_000)
            .withDescription("Entries read from one archive; the rest is a 'too_many_entries' failure.");

    public static final ConfigOption<Integer> MAX_DEPTH = ConfigOptions.key("uploads.max-depth")
            .intType()
            .defaultValue(4)
            .withDescription("Layers of compression and archives inside each other (a .tar.gz in a .zip is 3); "
                    + "deeper content is a 'nesting_too_deep' failure.");

    public static final ConfigOption<String> DATE_FROM = ConfigOptions.key("uploads.date-from")
            .stringType()
            .noDefaultValue()
            .withDescription("Only files whose path date (yyyy-mm-dd) is this day or later; for backfills.");

    public static final ConfigOption<String> DATE_TO = ConfigOptions.key("uploads.date-to")
            .stringType()
            .noDefaultValue()
            .withDescription("Only files whose path date (yyyy-mm-dd) is this day or earlier; for backfills.");

    public static final ConfigOption<Integer> MAX_LINE_BYTES = ConfigOptions.key("uploads.max-line-bytes")
            .intType()
            .defaultValue(1024 * 1024)
            .withDescription("Longest line read; a longer one becomes a 'line_too_long' failure.");
}
