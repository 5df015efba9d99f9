package io.logflow.bench.servers;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.File;

/** A local MiniCluster environment as the tests configure it: bound to 127.0.0.1, temp files under target/. */
public final class BenchCluster {
    private BenchCluster() {}

    public static StreamExecutionEnvironment environment(int parallelism) {
        Configuration conf = new Configuration();
        conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.HOST, "127.0.0.1");
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(CoreOptions.TMP_DIRS, new File("target/flink-tmp").getAbsolutePath());
        return StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
    }
}
