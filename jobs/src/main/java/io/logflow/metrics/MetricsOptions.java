package io.logflow.metrics;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;
import java.util.List;

/** Options of the windowed metrics ({@code sql/flink/metrics.sql}) and of the request outcomes they count. */
public final class MetricsOptions {
    private MetricsOptions() {}

    public static final ConfigOption<Boolean> ENABLED = ConfigOptions.key("metrics.enabled")
            .booleanType()
            .defaultValue(true)
            .withDescription("Compute the windowed metrics and failed requests into the metrics_* and "
                    + "failed_requests tables.");

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS = ConfigOptions.key("metrics.out-of-orderness")
            .durationType()
            .defaultValue(Duration.ofMinutes(1))
            .withDescription("How far behind the newest event time an event may arrive and still be counted: the "
                    + "watermark trails the newest event by this much. Later events are stored but not counted "
                    + "(the lateEvents metric).");

    public static final ConfigOption<Duration> IDLE_TIMEOUT = ConfigOptions.key("metrics.idle-timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(1))
            .withDescription("After this long without events (or none since it started), a parallel instance's "
                    + "watermark follows the wall clock, minus metrics.out-of-orderness, so quiet tenants hold no "
                    + "windows open.");

    public static final ConfigOption<Duration> MAX_FUTURE_SKEW = ConfigOptions.key("metrics.max-future-skew")
            .durationType()
            .defaultValue(Duration.ofMinutes(15))
            .withDescription("Events stamped further than this ahead of the wall clock are counted but do not move "
                    + "the watermark, so one tenant's wrong clock cannot make everyone's events late.");

    public static final ConfigOption<Duration> REQUEST_TIMEOUT = ConfigOptions.key("requests.timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(5))
            .withDescription("A request (events sharing a request id) without a completion event this long after "
                    + "its start failed with reason 'timeout'.");

    public static final ConfigOption<String> REQUEST_START_PATTERN = ConfigOptions.key("requests.start-pattern")
            .stringType()
            .noDefaultValue()
            .withDescription("Java regular expression found in the message of a request's start event, e.g. "
                    + "'^START RequestId'; unset: a request starts with its first event. With a pattern, a request id "
                    + "that never logs a start event is not counted.");

    public static final ConfigOption<String> REQUEST_COMPLETION_PATTERN =
            ConfigOptions.key("requests.completion-pattern")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Java regular expression found in the message of a request's completion event, "
                            + "e.g. '^END RequestId'; unset: an event with a duration completes the request.");

    public static List<ConfigOption<?>> all() {
        return List.of(ENABLED, OUT_OF_ORDERNESS, IDLE_TIMEOUT, MAX_FUTURE_SKEW, REQUEST_TIMEOUT,
                REQUEST_START_PATTERN, REQUEST_COMPLETION_PATTERN);
    }
}
