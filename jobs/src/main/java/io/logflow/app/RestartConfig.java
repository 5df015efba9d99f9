package io.logflow.app;

import io.logflow.config.ConfigException;
import io.logflow.config.Settings;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;

/**
 * How the job restarts after a failure: Flink's exponential-delay strategy, bounded to {@link #attempts} restarts in
 * a row (an hour without a failure starts the count again), then the job fails.
 *
 * <p>A restart strategy set by the job overrides the cluster's, so it is set only where the configuration the job is
 * submitted with names none (a local run, which starts its own cluster; a cluster without one), or when one of the
 * keys was given explicitly.
 */
public final class RestartConfig {
    /** The longest delay between two restarts, however many came before. */
    public static final Duration MAX_DELAY = Duration.ofMinutes(1);

    public final int attempts;
    public final Duration delay;
    /** Whether {@code job.restart-attempts} or {@code job.restart-delay} was set. */
    public final boolean given;

    RestartConfig(int attempts, Duration delay, boolean given) {
        this.attempts = attempts;
        this.delay = delay;
        this.given = given;
    }

    /** A strategy given explicitly (tests, commands that set their own). */
    public static RestartConfig of(int attempts, Duration delay) {
        return new RestartConfig(attempts, delay, true);
    }

    static RestartConfig from(Settings s) {
        int attempts = s.getRequired(JobOptions.RESTART_ATTEMPTS);
        if (attempts < 0) {
            throw new ConfigException(JobOptions.RESTART_ATTEMPTS.key()
                    + ": expected zero or a positive integer, got '" + attempts + "'");
        }
        return new RestartConfig(attempts, s.getPositiveDuration(JobOptions.RESTART_DELAY),
                s.isSet(JobOptions.RESTART_ATTEMPTS) || s.isSet(JobOptions.RESTART_DELAY));
    }

    /** Flink's options for this strategy. */
    public Configuration toFlink() {
        Configuration conf = new Configuration();
        if (attempts == 0) {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            return conf;
        }
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, delay);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                delay.compareTo(MAX_DELAY) > 0 ? delay : MAX_DELAY);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.0);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
                Duration.ofHours(1));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, attempts);
        return conf;
    }

    /**
     * Sets this strategy on {@code env} unless its configuration (the cluster's, for {@code flink run} or a submission
     * through the JobManager) names a restart strategy and neither key was given. Returns whether it was set.
     */
    public boolean applyTo(StreamExecutionEnvironment env) {
        if (!given && env.getConfiguration().getOptional(RestartStrategyOptions.RESTART_STRATEGY).isPresent()) {
            return false;
        }
        env.configure(toFlink());
        return true;
    }

    /** For the console: "at most 5 restarts in a row, 1 s apart at first". */
    public String describe() {
        return attempts == 0 ? "no restarts" : "at most " + attempts + " restarts in a row, " + delay.toMillis()
                + " ms apart at first";
    }
}
