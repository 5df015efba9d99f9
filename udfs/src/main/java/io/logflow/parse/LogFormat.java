package io.logflow.parse;

import java.util.Locale;

/** Line formats the parser knows. {@link #AUTO} detects per line; the others force one format for a source. */
public enum LogFormat {
    AUTO,
    JSON,
    LOGFMT,
    /** RFC 3164 and RFC 5424, told apart per line. */
    SYSLOG,
    /** Apache/Nginx common and combined. */
    ACCESS,
    /** AWS Lambda platform lines (START/END/REPORT) and the runtime's default tab-separated text. */
    LAMBDA,
    VPC_FLOW,
    TEXT;

    /** {@code "json"}, {@code "vpc-flow"}, {@code "AUTO"}... as written in configuration. */
    public static LogFormat fromConfig(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
