package io.logflow.app;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The job's restart strategy: bounded by default, validated, and never over a cluster's own unless asked for. */
class RestartConfigTest {
    private static final String[] MINIMAL = {
        "--uploads.path", "file:///data/logs", "--postgres.url", "jdbc:postgresql://db:5432/logflow"
    };

    @Test
    void defaultIsFiveRestartsOneSecondApartAtFirstDoublingUpToAMinute() {
        RestartConfig restarts = JobConfig.load(MINIMAL, Map.of()).restarts;
        Configuration flink = restarts.toFlink();

        assertThat(restarts.given).isFalse();
        assertThat(flink.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
        assertThat(flink.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS)).isEqualTo(5);
        assertThat(flink.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(flink.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(flink.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER))
                .isEqualTo(2.0);
    }

    @Test
    void zeroAttemptsMeansNoRestarts() {
        RestartConfig restarts = JobConfig.load(concat("--job.restart-attempts", "0"), Map.of()).restarts;

        assertThat(restarts.toFlink().get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("none");
        assertThat(restarts.given).isTrue();
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> JobConfig.load(concat("--job.restart-attempts", "-1"), Map.of()))
                .hasMessage("job.restart-attempts: expected zero or a positive integer, got '-1'");
        assertThatThrownBy(() -> JobConfig.load(concat("--job.restart-attempts", "often"), Map.of()))
                .hasMessage("job.restart-attempts: expected an integer, got 'often'");
        assertThatThrownBy(() -> JobConfig.load(concat("--job.restart-delay", "0 s"), Map.of()))
                .hasMessage("job.restart-delay: expected a positive duration such as '5 s', got '0 s'");
        assertThatThrownBy(() -> JobConfig.load(concat("--job.check-on-start", "maybe"), Map.of()))
                .hasMessage("job.check-on-start: expected true or false, got 'maybe'");
    }

    @Test
    void theClustersOwnStrategyStaysUnlessTheKeysAreGiven() {
        Configuration cluster = new Configuration();
        cluster.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");

        StreamExecutionEnvironment withClusterStrategy = new StreamExecutionEnvironment(cluster);
        assertThat(JobConfig.load(MINIMAL, Map.of()).restarts.applyTo(withClusterStrategy)).isFalse();
        assertThat(withClusterStrategy.getConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY))
                .isEqualTo("fixed-delay");

        StreamExecutionEnvironment given = new StreamExecutionEnvironment(cluster);
        assertThat(JobConfig.load(concat("--job.restart-attempts", "2"), Map.of()).restarts.applyTo(given)).isTrue();
        assertThat(given.getConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY))
                .isEqualTo("exponential-delay");

        StreamExecutionEnvironment noClusterStrategy = new StreamExecutionEnvironment(new Configuration());
        assertThat(JobConfig.load(MINIMAL, Map.of()).restarts.applyTo(noClusterStrategy)).isTrue();
        assertThat(noClusterStrategy.getConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
                .isEqualTo(5);
    }

    private static String[] concat(String... more) {
        String[] out = new String[MINIMAL.length + more.length];
        System.arraycopy(MINIMAL, 0, out, 0, MINIMAL.length);
        System.arraycopy(more, 0, out, MINIMAL.length, more.length);
        return out;
    }
}
