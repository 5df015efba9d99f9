package io.logflow.udf;

import io.logflow.model.LogEvent;
import io.logflow.model.RawLog;
import io.logflow.parse.LogFormat;
import io.logflow.parse.LogParser;
import io.logflow.parse.ParseOutcome;
import io.logflow.parse.ParserOptions;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.types.Row;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code PARSE_LOG(line [, format])}: the job's parser as a SQL function. Returns a ROW with the structured event
 * ({@code ts}, {@code level}, {@code service}, {@code message}, {@code trace_id}, {@code span_id}, {@code request_id},
 * {@code duration_ms}, {@code format}, {@code fields}) and {@code failure}, the reason code when the line could not be
 * parsed (then the other columns are null). Secrets are redacted as in the job. NULL or blank input gives NULL. Every
 * string is storable as in the job: NUL and unpaired surrogates become U+FFFD and {@code fields} then holds
 * {@code logflow.sanitized = true}.
 *
 * <pre>{@code
 * CREATE TEMPORARY FUNCTION PARSE_LOG AS 'io.logflow.udf.ParseLogFunction' LANGUAGE JAVA;
 * SELECT p.level, p.message FROM (SELECT PARSE_LOG(line) AS p FROM raw_lines);
 * }</pre>
 */
@FunctionHint(output = @DataTypeHint(ParseLogFunction.ROW_TYPE))
public class ParseLogFunction extends ScalarFunction {
    static final String ROW_TYPE = "ROW<ts TIMESTAMP_LTZ(3), level STRING, service STRING, message STRING, "
            + "trace_id STRING, span_id STRING, request_id STRING, duration_ms DOUBLE, format STRING, "
            + "fields MAP<STRING, STRING>, failure STRING>";

    private transient LogParser parser;
    private transient Map<LogFormat, LogParser> forced;

    public Row eval(String line) {
        if (parser == null) {
            parser = new LogParser();
        }
        return toRow(parser, line);
    }

    /** With a forced format: {@code json}, {@code logfmt}, {@code syslog}, {@code access}, {@code lambda}... */
    public Row eval(String line, String format) {
        if (format == null) {
            return eval(line);
        }
        if (forced == null) {
            forced = new EnumMap<>(LogFormat.class);
        }
        LogFormat f;
        try {
            f = LogFormat.fromConfig(format);
        } catch (IllegalArgumentException e) {
            return Row.of(null, null, null, null, null, null, null, null, null, null, "unknown_format");
        }
        LogParser p = forced.computeIfAbsent(f, k -> new LogParser(ParserOptions.builder().format(k).build()));
        return toRow(p, line);
    }

    private static Row toRow(LogParser parser, String line) {
        if (line == null) {
            return null;
        }
        RawLog raw = new RawLog();
        raw.text = line;
        raw.receiveTime = System.currentTimeMillis();
        ParseOutcome outcome = parser.parse(raw);
        switch (outcome.kind) {
            case EVENT:
                LogEvent e = outcome.event;
                return Row.of(Instant.ofEpochMilli(e.timestamp), e.level == null ? null : e.level.name(), e.service,
                        e.message, e.traceId, e.spanId, e.requestId, e.durationMs, e.format, e.fields, null);
            case FAILURE:
                return Row.of(null, null, null, null, null, null, null, null, null, null, outcome.reason);
            default:
                return null;
        }
    }
}
