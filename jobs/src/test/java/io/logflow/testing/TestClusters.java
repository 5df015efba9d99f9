package io.logflow.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import java.io.File;

/** One MiniCluster per test class, bound to 127.0.0.1, its temp files under target/. */
public final class TestClusters {
    private TestClusters() {}

    public static MiniClusterExtension miniCluster(int slots) {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setConfiguration(configuration())
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(slots)
                .build());
    }

    /** The cluster configuration of {@link #miniCluster}, for a test that adds to it (a metric reporter, say). */
    public static Configuration configuration() {
        Configuration conf = new Configuration();
        conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.HOST, "127.0.0.1");
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(CoreOptions.TMP_DIRS, new File("target/flink-tmp").getAbsolutePath());
        return conf;
    }

    /**
     * A MiniCluster started as the context environment, for jqwik test classes, which cannot use
     * {@link MiniClusterExtension}: start it in {@code @BeforeContainer}, hand it to {@link #stopContext} after.
     */
    public static MiniCluster startAsContext(int slots) throws Exception {
        Configuration conf = configuration();
        // MiniClusterExtension picks a free REST port itself; a bare MiniCluster would take 8081, which another test
        // JVM on this machine (or any Flink) may hold, and then fail to start.
        conf.set(RestOptions.BIND_PORT, "0");
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
        cluster.start();
        TestStreamEnvironment.setAsContext(cluster, slots);
        return cluster;
    }

    public static void stopContext(MiniCluster cluster) throws Exception {
        TestStreamEnvironment.unsetAsContext();
        if (cluster != null) {
            cluster.close();
        }
    }
}
