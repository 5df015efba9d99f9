package io.logflow.parse;

import io.logflow.parse.redact.RedactionRules;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link LogParser} treats records: per-source format overrides, limits and redaction rules. Immutable and
 * serialisable so the job can read it once from configuration and ship it in its parse function.
 *
 * <pre>{@code
 * ParserOptions options = ParserOptions.builder()
 *         .formatFor("123456789012//aws/lambda/", LogFormat.LAMBDA)   // routing-key prefix -> format
 *         .formatFor("s3://vpc-logs/", LogFormat.VPC_FLOW)
 *         .redaction(RedactionRules.defaults().withKeys("ssn"))
 *         .build();
 * }</pre>
 */
public final class ParserOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    /** CloudWatch's own maximum event size. */
    public static final int DEFAULT_MAX_LINE_CHARS = 256 * 1024;
    public static final int DEFAULT_MAX_FIELDS = 256;
    public static final int DEFAULT_MAX_DEPTH = 16;
    public static final int DEFAULT_MAX_VALUE_CHARS = 16 * 1024;

    private static final ParserOptions DEFAULTS = builder().build();

    public final LogFormat defaultFormat;
    /** Routing-key prefix to format; the longest matching prefix wins. */
    public final Map<String, LogFormat> formatOverrides;
    /** Longer records become a {@code line_too_long} failure instead of an event. */
    public final int maxLineChars;
    /** Attributes beyond this many are dropped and counted in {@link LogFields#DROPPED_FIELDS}. */
    public final int maxFields;
    /** JSON objects nested deeper than this are kept as one JSON-text attribute instead of being flattened. */
    public final int maxDepth;
    /** Attribute values are cut to this many characters. */
    public final int maxValueChars;
    public final RedactionRules redaction;

    private ParserOptions(Builder b) {
        this.defaultFormat = b.defaultFormat;
        this.formatOverrides = Collections.unmodifiableMap(new LinkedHashMap<>(b.formatOverrides));
        this.maxLineChars = b.maxLineChars;
        this.maxFields = b.maxFields;
        this.maxDepth = b.maxDepth;
        this.maxValueChars = b.maxValueChars;
        this.redaction = b.redaction;
    }

    public static ParserOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The format to use for a record with this routing key. */
    public LogFormat formatFor(String routingKey) {
        if (routingKey == null || formatOverrides.isEmpty()) {
            return defaultFormat;
        }
        LogFormat best = defaultFormat;
        int bestLen = -1;
        for (Map.Entry<String, LogFormat> e : formatOverrides.entrySet()) {
            String prefix = e.getKey();
            if (prefix.length() > bestLen && routingKey.startsWith(prefix)) {
                best = e.getValue();
                bestLen = prefix.length();
            }
        }
        return best;
    }

    public static final class Builder {
        private LogFormat defaultFormat = LogFormat.AUTO;
        private final Map<String, LogFormat> formatOverrides = new LinkedHashMap<>();
        private int maxLineChars = DEFAULT_MAX_LINE_CHARS;
        private int maxFields = DEFAULT_MAX_FIELDS;
        private int maxDepth = DEFAULT_MAX_DEPTH;
        private int maxValueChars = DEFAULT_MAX_VALUE_CHARS;
        private RedactionRules redaction = RedactionRules.defaults();

        private Builder() {}

        /** The format for records no override matches ({@link LogFormat#AUTO} unless set). */
        public Builder format(LogFormat format) {
            this.defaultFormat = Objects.requireNonNull(format, "format");
            return this;
        }

        /** Records whose routing key starts with {@code routingKeyPrefix} are parsed as {@code format}. */
        public Builder formatFor(String routingKeyPrefix, LogFormat format) {
            formatOverrides.put(Objects.requireNonNull(routingKeyPrefix, "routingKeyPrefix"),
                    Objects.requireNonNull(format, "format"));
            return this;
        }

        public Builder maxLineChars(int value) {
            this.maxLineChars = positive("maxLineChars", value);
            return this;
        }

        public Builder maxFields(int value) {
            this.maxFields = positive("maxFields", value);
            return this;
        }

        public Builder maxDepth(int value) {
            this.maxDepth = positive("maxDepth", value);
            return this;
        }

        public Builder maxValueChars(int value) {
            this.maxValueChars = positive("maxValueChars", value);
            return this;
        }

        public Builder redaction(RedactionRules rules) {
            this.redaction = Objects.requireNonNull(rules, "redaction");
            return this;
        }

        public ParserOptions build() {
            return new ParserOptions(this);
        }

        private static int positive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
