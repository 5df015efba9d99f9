package io.logflow.parse;

/** Names of the {@code LogEvent.format} values and of the {@code fields} keys the parser itself writes. */
public final class LogFields {
    private LogFields() {}

    public static final String FORMAT_JSON = "json";
    public static final String FORMAT_LOGFMT = "logfmt";
    public static final String FORMAT_SYSLOG_3164 = "syslog3164";
    public static final String FORMAT_SYSLOG_5424 = "syslog5424";
    public static final String FORMAT_ACCESS_COMMON = "access_common";
    public static final String FORMAT_ACCESS_COMBINED = "access_combined";
    public static final String FORMAT_LAMBDA_PLATFORM = "lambda_platform";
    public static final String FORMAT_LAMBDA_TEXT = "lambda_text";
    public static final String FORMAT_VPC_FLOW = "vpc_flow";
    public static final String FORMAT_TEXT = "text";

    /** The timestamp as the line wrote it, kept whenever one was parsed. */
    public static final String ORIGINAL_TIMESTAMP = "timestamp_original";
    /**
     * Set when the line carries no timestamp of its own: where the event's time came from instead — {@code path}
     * (the date in an upload's path), {@code source} (the CloudWatch event's timestamp) or {@code ingest}.
     */
    public static final String TIMESTAMP_SOURCE = "timestamp_source";
    public static final String TIMESTAMP_FROM_PATH = "path";
    public static final String TIMESTAMP_FROM_SOURCE = "source";
    public static final String TIMESTAMP_FROM_INGEST = "ingest";
    /** Set to the number of attributes dropped when a line had more than the configured maximum. */
    public static final String DROPPED_FIELDS = "logflow.dropped_fields";
    /**
     * Set to {@code true} when a string of the event (the message, a core attribute, a field's key or value) held a NUL
     * or an unpaired UTF-16 surrogate, which no store accepts, and it was replaced by U+FFFD. A key that becomes equal to
     * another key by this keeps its value under the first free name of {@code <key>#2}, {@code <key>#3}...: keys that
     * were storable as they came keep their names, and the changed ones are numbered in the order of their original
     * text, so the same line always gives the same fields.
     */
    public static final String SANITIZED = "logflow.sanitized";
    /** Separator of the number a cleaned key gets when its name is taken (see {@link #SANITIZED}). */
    public static final char RENAMED_KEY_SEPARATOR = '#';
    /**
     * The lines that followed a JSON object in one record (a stack trace the multi-line joiner attached), as they came;
     * after the object's own {@code error.stack_trace} and a newline when it has one. The ECS name.
     */
    public static final String STACK_TRACE = "error.stack_trace";

    /**
     * Set when an identifier (service, log group or stream, trace, span or request id) was longer than {@link
     * #MAX_IDENTIFIER_CHARS} and was cut: the names of the cut ones, comma-separated. Identifiers are keys of indexes
     * and of the metrics tables, whose index rows cannot exceed ~2.7 KB; no real identifier comes near the bound.
     */
    public static final String TRUNCATED = "logflow.truncated";
    /** CloudWatch's own limit for log group and log stream names. */
    public static final int MAX_IDENTIFIER_CHARS = 512;
}
