package io.logflow.udf;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import org.apache.flink.table.functions.AggregateFunction;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code APPROX_PERCENTILE(value DOUBLE, percentile DOUBLE) -> DOUBLE}: an approximate percentile of {@code value}
 * over a group or window, for latency statistics such as {@code APPROX_PERCENTILE(duration_ms, 0.9)}, built on a
 * DDSketch ({@code com.datadoghq:sketches-java}).
 *
 * <p>{@code percentile} is a fraction in [0, 1] ({@code 0.5} = p50, {@code 0.99} = p99); anything else, or NULL,
 * fails the query with an {@link IllegalArgumentException}. It is meant to be a constant: a group uses the first one
 * it sees. NULL and NaN values are ignored, and so are infinite ones (a duration of infinity is no measurement); a
 * group without any value gives NULL. Negative and zero values are kept.
 *
 * <p>The result is the value of rank {@code floor(percentile * (n - 1))} (0-based, "lower" nearest rank) among the
 * group's {@code n} sorted values, up to the relative error below. Partial accumulators merge exactly (bin counts
 * add), so two-phase (local/global) aggregation and session/window merging give the same sketch as one pass.
 * Retraction is not supported (a sketch cannot forget a value): the planner rejects this function over updating
 * (retracting) input, e.g. over the result of a non-windowed GROUP BY; window TVFs and batch queries work.
 *
 * <p>The accumulator holds the sketch as its encoded bytes (a {@code BYTES} field of a structured type), so Flink
 * serialises it without Kryo; the decoded sketch is cached in a transient field while a task works on it.
 *
 * <p><b>Accuracy and memory.</b> The relative error is at most {@value #RELATIVE_ACCURACY} (1%): the result
 * {@code r} of a true percentile value {@code x} satisfies {@code |r - x| <= 0.01 * |x|}, whatever the distribution
 * or the number of values. Memory is bounded: each sign's store keeps at most {@value #MAX_BINS} bins (8 bytes each
 * in memory, so at most 16 KiB per sign and sketch; the encoded state is variable-length and usually far smaller,
 * 661 bytes for 1..10000, about 116 bins per order of magnitude). 2048 bins at 1% cover values within a factor of
 * about 10^17 of the largest one (e.g. durations from 1 ns to over 10 years, in milliseconds); should a group span
 * more, its lowest bins are collapsed together, which only makes percentiles that fall below that range overestimate
 * — every percentile whose value lies within 10^17 of the maximum (in practice p50, p90, p99) keeps the 1% guarantee.
 */
public class ApproxPercentileFunction extends AggregateFunction<Double, ApproxPercentileFunction.Acc> {

    /** The documented relative accuracy of every result. */
    public static final double RELATIVE_ACCURACY = 0.01;
    /** The most bins a sketch store keeps; the lowest ones collapse beyond it. */
    public static final int MAX_BINS = 2048;

    /**
     * The accumulator: the percentile asked for and the encoded sketch (NULL while empty). A structured type with a
     * bean-style {@code sketch} property; the decoded sketch lives in a transient cache that the getter encodes.
     */
    public static class Acc {
        /** The percentile of the first call, in [0, 1]; NULL until the first value. */
        public Double percentile;

        private byte[] sketch;
        private transient DDSketch decoded;

        public Acc() {}

        /** The encoded sketch, NULL when no value was added. */
        public byte[] getSketch() {
            if (decoded != null) {
                sketch = encode(decoded);
            }
            return sketch;
        }

        public void setSketch(byte[] sketch) {
            this.sketch = sketch;
            this.decoded = null;
        }

        /** The sketch to read or add to, decoded on first use; a new one when empty. */
        DDSketch live() {
            if (decoded == null) {
                decoded = sketch == null ? newSketch() : decode(sketch);
            }
            return decoded;
        }

        boolean isEmpty() {
            return decoded == null ? sketch == null : decoded.isEmpty();
        }
    }

    @Override
    public Acc createAccumulator() {
        return new Acc();
    }

    public void accumulate(Acc acc, Double value, Double percentile) {
        check(percentile);
        if (value == null || value.isNaN() || value.isInfinite()) {
            return;
        }
        if (acc.percentile == null) {
            acc.percentile = percentile;
        }
        acc.live().accept(value);
    }

    public void merge(Acc acc, Iterable<Acc> others) {
        for (Acc other : others) {
            if (other == null || other.isEmpty()) {
                continue;
            }
            if (acc.percentile == null) {
                acc.percentile = other.percentile;
            }
            acc.live().mergeWith(other.live());
        }
    }

    public void resetAccumulator(Acc acc) {
        acc.percentile = null;
        acc.setSketch(null);
    }

    @Override
    public Double getValue(Acc acc) {
        if (acc.isEmpty() || acc.percentile == null) {
            return null;
        }
        DDSketch sketch = acc.live();
        return sketch.isEmpty() ? null : sketch.getValueAtQuantile(acc.percentile);
    }

    /** A new, empty sketch with the documented accuracy and bin bound. */
    static DDSketch newSketch() {
        return DDSketches.collapsingLowestDense(RELATIVE_ACCURACY, MAX_BINS);
    }

    static byte[] encode(DDSketch sketch) {
        GrowingByteArrayOutput out = GrowingByteArrayOutput.withDefaultInitialCapacity();
        try {
            sketch.encode(out, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a percentile sketch", e);
        }
        return out.trimmedCopy();
    }

    static DDSketch decode(byte[] bytes) {
        DDSketch sketch = newSketch();
        try {
            sketch.decodeAndMergeWith(ByteArrayInput.wrap(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode a percentile sketch", e);
        }
        return sketch;
    }

    private static void check(Double percentile) {
        if (percentile == null || !(percentile >= 0.0 && percentile <= 1.0)) {
            throw new IllegalArgumentException("APPROX_PERCENTILE: the percentile must be a fraction in [0, 1] "
                    + "(0.5 for p50, 0.99 for p99), got " + percentile);
        }
    }
}
