package io.logflow.metrics;

import io.logflow.config.ConfigException;
import io.logflow.config.Settings;

import java.io.Serializable;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The windowed metrics' event-time settings and how requests are recognised. */
public final class MetricsConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public final Duration outOfOrderness;
    public final Duration idleTimeout;
    public final Duration maxFutureSkew;
    public final Duration requestTimeout;
    /** Null: any event starts a request. */
    public final Pattern requestStart;
    /** Null: an event with a duration completes a request. */
    public final Pattern requestCompletion;

    public MetricsConfig(Duration outOfOrderness, Duration idleTimeout, Duration maxFutureSkew,
            Duration requestTimeout, Pattern requestStart, Pattern requestCompletion) {
        this.outOfOrderness = outOfOrderness;
        this.idleTimeout = idleTimeout;
        this.maxFutureSkew = maxFutureSkew;
        this.requestTimeout = requestTimeout;
        this.requestStart = requestStart;
        this.requestCompletion = requestCompletion;
    }

    public static boolean isEnabled(Settings s) {
        return s.get(MetricsOptions.ENABLED);
    }

    public static MetricsConfig from(Settings s) {
        Duration outOfOrderness = s.getRequired(MetricsOptions.OUT_OF_ORDERNESS);
        if (outOfOrderness.isNegative()) {
            throw new ConfigException(MetricsOptions.OUT_OF_ORDERNESS.key()
                    + ": expected zero or a positive duration such as '1 min', got '" + outOfOrderness + "'");
        }
        return new MetricsConfig(
                outOfOrderness,
                s.getPositiveDuration(MetricsOptions.IDLE_TIMEOUT),
                s.getPositiveDuration(MetricsOptions.MAX_FUTURE_SKEW),
                s.getPositiveDuration(MetricsOptions.REQUEST_TIMEOUT),
                pattern(s, MetricsOptions.REQUEST_START_PATTERN.key(),
                        s.getOptional(MetricsOptions.REQUEST_START_PATTERN).orElse(null)),
                pattern(s, MetricsOptions.REQUEST_COMPLETION_PATTERN.key(),
                        s.getOptional(MetricsOptions.REQUEST_COMPLETION_PATTERN).orElse(null)));
    }

    private static Pattern pattern(Settings s, String key, String regex) {
        if (regex == null || regex.isBlank()) {
            return null;
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new ConfigException(key + ": '" + regex + "' is not a regular expression (" + e.getDescription()
                    + ")");
        }
    }
}
