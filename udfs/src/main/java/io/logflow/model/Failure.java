package io.logflow.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A record logflow gave up on, with why. Every record that does not reach the sinks becomes a Failure (or a counted,
 * documented drop). A Flink POJO serialised without Kryo.
 */
public class Failure {
    /** Longest {@link #detail} the factories keep, in UTF-16 units. */
    public static final int MAX_DETAIL_CHARS = 2_000;

    /** Deterministic from the stage and the source coordinates, so a replay does not duplicate failures. */
    public String failureId;
    public FailureStage stage;
    /** Stable, machine-readable code, e.g. {@code invalid_json}, {@code line_too_long}. */
    public String reason;
    /** Human-readable detail, at most {@link #MAX_DETAIL_CHARS} long. */
    public String detail;
    public SourceKind source;
    public String sourceRef;
    public String workspaceId;
    /** The raw input as it came (the true bytes, never cleaned), truncated to the configured maximum. */
    public byte[] raw;
    /** Size of the raw input before truncation, in bytes. */
    public int rawSize;
    /** Epoch millis at which the failure was recorded. */
    public long time;
    /**
     * The input of the failing stage as JSON when it can be fed through the pipeline again (an ENRICH failure keeps
     * its parsed event, id included), else null. Not bounded like {@link #raw}: it is what a replay needs whole.
     */
    public String record;

    public Failure() {}

    public static Failure of(
            FailureStage stage, String reason, String detail, RawLog record, byte[] raw, int maxRawBytes, long time) {
        return ofPayload(stage, reason, detail, record.source, record.sourceRef(), raw, maxRawBytes, time);
    }

    /**
     * A failure of input that never became a {@link RawLog} (an undecodable Kinesis payload): it is identified by a
     * source reference the caller derives deterministically, so a replay yields the same failure id.
     *
     * <p>{@code reason}, {@code detail} and {@code sourceRef} are made storable (see {@link Storable}) and the detail is
     * cut to {@link #MAX_DETAIL_CHARS}: they are text columns, and may quote the input. The id is derived from the
     * source reference as given, so it does not change with the cleaning.
     */
    public static Failure ofPayload(
            FailureStage stage, String reason, String detail, SourceKind source, String sourceRef, byte[] raw,
            int maxRawBytes, long time) {
        Failure f = new Failure();
        f.stage = stage;
        f.reason = Storable.text(reason);
        f.detail = Storable.text(Storable.truncate(detail, MAX_DETAIL_CHARS));
        f.source = source;
        f.sourceRef = Storable.text(sourceRef);
        f.failureId = EventIds.of("failure", stage.name(), sourceRef);
        f.rawSize = raw == null ? 0 : raw.length;
        f.raw = raw == null ? null : raw.length <= maxRawBytes ? raw : Arrays.copyOf(raw, maxRawBytes);
        f.time = time;
        return f;
    }

    /**
     * A failure of a record whose raw input is its text. When the source could read only part of the input (an
     * over-long line, a damaged part of a file) and says so in {@link RawLog#fileBytes}, that is the size kept.
     */
    public static Failure of(FailureStage stage, String reason, String detail, RawLog record, int maxRawBytes, long time) {
        byte[] raw = record.text == null ? null : record.text.getBytes(StandardCharsets.UTF_8);
        Failure f = of(stage, reason, detail, record, raw, maxRawBytes, time);
        if (record.error != null && record.marker == null && record.fileBytes > f.rawSize) {
            f.rawSize = (int) Math.min(Integer.MAX_VALUE, record.fileBytes);
        }
        return f;
    }

    @Override
    public String toString() {
        return "Failure{" + stage + "/" + reason + " at " + sourceRef + ": " + detail + '}';
    }
}
