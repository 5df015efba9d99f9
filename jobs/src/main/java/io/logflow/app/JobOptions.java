package io.logflow.app;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;

/** Options of the job as a whole. */
public final class JobOptions {
    private JobOptions() {}

    public static final ConfigOption<String> JOB_NAME = ConfigOptions.key("job.name")
            .stringType()
            .defaultValue("logflow")
            .withDescription("Name of the Flink job.");

    public static final ConfigOption<Integer> PARALLELISM = ConfigOptions.key("job.parallelism")
            .intType()
            .noDefaultValue()
            .withDescription("Default parallelism of the operators; unset means the cluster's default.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = ConfigOptions.key("job.checkpoint-interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("Interval between checkpoints; sinks flush on each checkpoint.");

    public static final ConfigOption<RuntimeExecutionMode> RUNTIME_MODE = ConfigOptions.key("job.runtime-mode")
            .enumType(RuntimeExecutionMode.class)
            .defaultValue(RuntimeExecutionMode.STREAMING)
            .withDescription("STREAMING (the job) or BATCH (a backfill: bounded sources only, no checkpoints).");

    public static final ConfigOption<Integer> RESTART_ATTEMPTS = ConfigOptions.key("job.restart-attempts")
            .intType()
            .defaultValue(5)
            .withDescription("Restarts after failures in a row before the job fails; 0 fails at the first failure. "
                    + "Applies where the cluster's configuration names no restart-strategy, or when set.");

    public static final ConfigOption<Duration> RESTART_DELAY = ConfigOptions.key("job.restart-delay")
            .durationType()
            .defaultValue(Duration.ofSeconds(1))
            .withDescription("Delay before the first restart; it doubles with each further one, up to 1 min.");

    public static final ConfigOption<Boolean> CHECK_ON_START = ConfigOptions.key("job.check-on-start")
            .booleanType()
            .defaultValue(true)
            .withDescription("Before submitting, check that uploads.path is a listable folder and the database is "
                    + "reachable and at the jar's schema version.");
}
