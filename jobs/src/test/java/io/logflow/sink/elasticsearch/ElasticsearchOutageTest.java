package io.logflow.sink.elasticsearch;

import io.logflow.app.JobConfig;
import io.logflow.app.LogflowJob;
import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.testing.BlockingProxy;
import io.logflow.testing.ElasticsearchExtension;
import io.logflow.testing.PostgresExtension;
import io.logflow.testing.TestClusters;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Elasticsearch unreachable while the job writes, then back: every event ends up indexed once, none lost. */
class ElasticsearchOutageTest {
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();
    @RegisterExtension static final ElasticsearchExtension ELASTICSEARCH = new ElasticsearchExtension();

    @TempDir Path root;

    @Test
    void eventsWrittenWhileElasticsearchIsDownAreIndexedOnceItIsBack() throws Exception {
        int events = 500;
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < events; i++) {
            lines.append("{\"level\":\"info\",\"msg\":\"during the outage ").append(i).append("\"}\n");
        }
        Path file = root.resolve("acme/api/2026/11/02/app.log");
        Files.createDirectories(file.getParent());
        Files.writeString(file, lines);

        PostgresConfig db = POSTGRES.freshDatabase();
        String prefix = ElasticsearchExtension.uniquePrefix();
        try (BlockingProxy proxy = new BlockingProxy(URI.create(ElasticsearchExtension.url()).getPort())) {
            proxy.block(); // down from the start: the sink cannot even install its template
            List<String> args = new ArrayList<>(List.of(PostgresExtension.jobArgs(db)));
            args.addAll(List.of(
                    "--uploads.path", root.toUri().toString(),
                    "--elasticsearch.hosts", "http://127.0.0.1:" + proxy.port(),
                    "--elasticsearch.index-pattern", prefix + "logs-<workspace>-<yyyy.MM.dd>",
                    "--elasticsearch.template-name", prefix + "template",
                    "--elasticsearch.replicas", "0",
                    "--elasticsearch.backoff-delay", "200 ms",
                    "--job.parallelism", "2",
                    "--job.checkpoint-interval", "500 ms"));
            JobClient job = LogflowJob.fromConfig(JobConfig.load(args.toArray(new String[0]), Map.of()))
                    .executeAsync(StreamExecutionEnvironment.getExecutionEnvironment());

            Thread.sleep(4_000); // the writers fail and the job restarts meanwhile
            assertThat(proxy.refused()).as("connections refused during the outage").isPositive();
            proxy.unblock();
            job.getJobExecutionResult().get(120, TimeUnit.SECONDS);
        }

        ElasticsearchExtension.refresh();
        assertThat(ElasticsearchExtension.count(prefix + "logs-*", "{\"query\":{\"match_all\":{}}}"))
                .isEqualTo(events);
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events")).isEqualTo(events);
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM ingest_failures")).isZero();
    }
}
