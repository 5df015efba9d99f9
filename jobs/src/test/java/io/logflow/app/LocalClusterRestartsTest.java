package io.logflow.app;

import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.DiscardingSink;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A job on a {@link LocalCluster} restarts a bounded number of times, and each restart is said with its cause. */
class LocalClusterRestartsTest {

    @Test
    void eachRestartIsReportedWithItsRootCauseAndTheJobThenCompletes() throws Exception {
        List<String> said = new CopyOnWriteArrayList<>();

        try (LocalCluster cluster = new LocalCluster(configuration())) {
            RestartConfig restarts = RestartConfig.of(3, Duration.ofMillis(300));
            StreamExecutionEnvironment env = job(cluster, restarts, 2);
            cluster.await(env.executeAsync("fails twice"), restarts, said::add, () -> { });
        }

        assertThat(said).containsExactly(
                "the job failed and restarts (restart 1 of at most 3): IllegalStateException: attempt 0 fails",
                "the job failed and restarts (restart 2 of at most 3): IllegalStateException: attempt 1 fails");
    }

    @Test
    void aJobThatKeepsFailingStopsAfterItsRestartsWithTheRootCause() throws Exception {
        List<String> said = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();

        try (LocalCluster cluster = new LocalCluster(configuration())) {
            RestartConfig restarts = RestartConfig.of(2, Duration.ofMillis(200));
            StreamExecutionEnvironment env = job(cluster, restarts, Integer.MAX_VALUE);
            assertThatThrownBy(() -> cluster.await(env.executeAsync("always fails"), restarts, said::add, () -> { }))
                    .isInstanceOf(JobFailedException.class)
                    .hasMessage("the job failed after 2 restarts: IllegalStateException: attempt 2 fails");
        }

        assertThat(said).containsExactly(
                "the job failed and restarts (restart 1 of at most 2): IllegalStateException: attempt 0 fails",
                "the job failed and restarts (restart 2 of at most 2): IllegalStateException: attempt 1 fails");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void noRestartsFailsAtTheFirstFailure() throws Exception {
        List<String> said = new CopyOnWriteArrayList<>();

        try (LocalCluster cluster = new LocalCluster(configuration())) {
            RestartConfig restarts = RestartConfig.of(0, Duration.ofMillis(200));
            StreamExecutionEnvironment env = job(cluster, restarts, Integer.MAX_VALUE);
            assertThatThrownBy(() -> cluster.await(env.executeAsync("fails once"), restarts, said::add, () -> { }))
                    .hasMessage("the job failed after 0 restarts: IllegalStateException: attempt 0 fails");
        }

        assertThat(said).isEmpty();
    }

    /** Ten numbers through a map whose attempts below {@code failingAttempts} fail on the first record. */
    private static StreamExecutionEnvironment job(LocalCluster cluster, RestartConfig restarts, int failingAttempts) {
        StreamExecutionEnvironment env = cluster.environment();
        env.setParallelism(1);
        assertThat(restarts.applyTo(env)).isTrue();
        env.fromSequence(1, 10)
                .map(new FailingAttempts(failingAttempts))
                .addSink(new DiscardingSink<>());
        return env;
    }

    private static Configuration configuration() {
        Configuration conf = new Configuration();
        conf.set(CoreOptions.TMP_DIRS, new File("target/flink-tmp").getAbsolutePath());
        return conf;
    }

    static final class FailingAttempts extends RichMapFunction<Long, Long> {
        private final int failingAttempts;

        FailingAttempts(int failingAttempts) {
            this.failingAttempts = failingAttempts;
        }

        @Override
        public Long map(Long value) {
            int attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
            if (attempt < failingAttempts) {
                throw new IllegalStateException("attempt " + attempt + " fails");
            }
            return value;
        }
    }
}
