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
    /** Kubernetes klog, {@code I0505 17:59:40.692994   28133 klog.go:70] msg}, and glog (the same with a year). */
    KLOG,
    /** The same parser as {@link #KLOG}; both names are accepted. */
    GLOG,
    /** nginx's error log: {@code 2024/06/15 11:30:00 [error] 31#31: *1 ...}. */
    NGINX_ERROR,
    /** Apache httpd's error log: {@code [Sat Jun 15 11:30:00.123 2024] [core:alert] [pid 123] ...}. */
    APACHE_ERROR,
    /** ArcSight Common Event Format, {@code CEF:0|vendor|product|version|id|name|severity|k=v ...}. */
    CEF,
    TEXT;

    /** Every format's configuration name, as {@link #fromConfig} reads it: {@code auto, json, ..., text}. */
    public static String configNames() {
        StringBuilder out = new StringBuilder();
        for (LogFormat f : values()) {
            out.append(out.length() == 0 ? "" : ", ").append(f.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        return out.toString();
    }

    /** {@code "json"}, {@code "vpc-flow"}, {@code "AUTO"}... as written in configuration. */
    public static LogFormat fromConfig(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
