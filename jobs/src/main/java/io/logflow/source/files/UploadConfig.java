package io.logflow.source.files;

import io.logflow.config.ConfigException;
import io.logflow.config.Settings;
import org.apache.flink.configuration.ConfigOption;

import java.io.Serializable;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** The folder the upload source reads, its path convention and its limits. */
public final class UploadConfig implements Serializable {
    private static final long serialVersionUID = 1L;
    public final String path;
    /** Null reads the folder once; set keeps watching it. */
    public final Duration monitorInterval;
    public final UploadPathPattern pattern;
    public final UploadLimits limits;
    /** Inclusive range of path dates to read, or null: every file. */
    public final LocalDate dateFrom;
    public final LocalDate dateTo;
    /** How recent a file must be for the watching source to pick it up. */
    public final Duration horizon;

    public UploadConfig(String path, Duration monitorInterval, UploadPathPattern pattern, UploadLimits limits,
            LocalDate dateFrom, LocalDate dateTo, Duration horizon) {
        this.path = path;
        this.monitorInterval = monitorInterval;
        this.pattern = pattern;
        this.limits = limits;
        this.dateFrom = dateFrom;
        this.dateTo = dateTo;
        this.horizon = horizon;
    }

    /** The horizon applies only while watching; reading a folder once (a backfill) takes every file. */
    public UploadFileFilter fileFilter() {
        long horizonMs = monitorInterval == null ? 0 : horizon.toMillis();
        return new UploadFileFilter(path, pattern, dateFrom, dateTo, horizonMs);
    }

    public static UploadConfig from(Settings s) {
        String path = s.getRequired(UploadOptions.PATH).trim();
        if (!path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:/.*")) {
            throw new ConfigException(UploadOptions.PATH.key()
                    + ": expected a folder URI such as file:///data/logs or s3://bucket/prefix, got '" + path + "'");
        }
        Duration interval = s.isSet(UploadOptions.MONITOR_INTERVAL)
                ? s.getPositiveDuration(UploadOptions.MONITOR_INTERVAL)
                : null;
        UploadPathPattern pattern;
        try {
            pattern = UploadPathPattern.parse(s.getRequired(UploadOptions.PATH_PATTERN));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(UploadOptions.PATH_PATTERN.key() + ": " + e.getMessage());
        }
        long maxDecompressed = s.getRequired(UploadOptions.MAX_DECOMPRESSED_BYTES).getBytes();
        if (maxDecompressed <= 0) {
            throw new ConfigException(UploadOptions.MAX_DECOMPRESSED_BYTES.key()
                    + ": expected a positive size such as '512 mb'");
        }
        UploadLimits limits = new UploadLimits(
                maxDecompressed,
                s.getPositiveInt(UploadOptions.MAX_ENTRIES),
                s.getPositiveInt(UploadOptions.MAX_DEPTH),
                s.getPositiveInt(UploadOptions.MAX_LINE_BYTES));
        LocalDate from = date(s, UploadOptions.DATE_FROM);
        LocalDate to = date(s, UploadOptions.DATE_TO);
        if ((from != null || to != null) && !pattern.hasDate()) {
            throw new ConfigException((from != null ? UploadOptions.DATE_FROM : UploadOptions.DATE_TO).key()
                    + ": needs a date (<yyyy>/<mm>/<dd>) in " + UploadOptions.PATH_PATTERN.key());
        }
        if (from != null && to != null && to.isBefore(from)) {
            throw new ConfigException(UploadOptions.DATE_TO.key() + ": expected a day on or after "
                    + UploadOptions.DATE_FROM.key() + " (" + from + "), got '" + to + "'");
        }
        return new UploadConfig(path, interval, pattern, limits, from, to,
                s.getPositiveDuration(UploadOptions.HORIZON));
    }

    private static LocalDate date(Settings s, ConfigOption<String> option) {
        if (!s.isSet(option)) {
            return null;
        }
        String text = s.getRequired(option).trim();
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new ConfigException(option.key() + ": expected a day such as 2026-11-02, got '" + text + "'");
        }
    }
}
