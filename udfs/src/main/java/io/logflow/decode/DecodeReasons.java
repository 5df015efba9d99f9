package io.logflow.decode;

import java.util.List;

/**
 * The stable reason codes of CloudWatch payload decoding. They are stored with failures and used as metric labels, so
 * they never change once released; add new ones instead.
 */
public final class DecodeReasons {
    private DecodeReasons() {}

    /** The record does not start with the gzip magic bytes (CloudWatch always compresses). */
    public static final String NOT_GZIP = "not_gzip";
    /** The gzip stream ends before its end: a cut-off record. */
    public static final String TRUNCATED_GZIP = "truncated_gzip";
    /** The gzip stream is damaged: bad header, bad deflate block, CRC or size mismatch. */
    public static final String CORRUPT_GZIP = "corrupt_gzip";
    /** Decompressing would exceed the configured cap (a gzip bomb or an unexpected producer). */
    public static final String DECOMPRESSED_TOO_LARGE = "decompressed_too_large";
    /** The decompressed bytes are not JSON (syntax error, bad UTF-8, nothing at all). */
    public static final String INVALID_JSON = "invalid_json";
    /** JSON, but not an envelope: not an object, or a field of the wrong type. */
    public static final String INVALID_ENVELOPE = "invalid_envelope";
    /** A DATA_MESSAGE lacks messageType, owner, logGroup, logStream or logEvents. */
    public static final String MISSING_FIELD = "missing_field";
    /** messageType is neither DATA_MESSAGE nor CONTROL_MESSAGE. */
    public static final String UNKNOWN_MESSAGE_TYPE = "unknown_message_type";
    /** One entry of logEvents lacks id, timestamp or message, or has one of the wrong type. */
    public static final String BAD_LOG_EVENT = "bad_log_event";
    /** A bug guard: the decoder met something it did not expect. Never expected in practice. */
    public static final String DECODE_ERROR = "decode_error";

    /** Every code, so metrics can register a counter per reason up front (a zero is information too). */
    public static final List<String> ALL = List.of(
            NOT_GZIP, TRUNCATED_GZIP, CORRUPT_GZIP, DECOMPRESSED_TOO_LARGE, INVALID_JSON, INVALID_ENVELOPE,
            MISSING_FIELD, UNKNOWN_MESSAGE_TYPE, BAD_LOG_EVENT, DECODE_ERROR);
}
