package io.logflow.app;

import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.testing.ElasticsearchExtension;
import io.logflow.testing.KafkaExtension;
import io.logflow.testing.PostgresExtension;
import io.logflow.testing.TestClusters;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production wiring ({@link LogflowJob#fromConfig}) with every sink on: uploads, enriched from a registrations
 * file, into Postgres, Elasticsearch and the Kafka dead-letter topic. The counts of the three must agree.
 */
class AllSinksPipelineTest {
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();
    @RegisterExtension static final ElasticsearchExtension ELASTICSEARCH = new ElasticsearchExtension();
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    @TempDir Path root;

    @Test
    void eventsReachPostgresAndElasticsearchAndEveryFailureTheDeadLetterTopic() throws Exception {
        List<String> acme = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            acme.add("{\"level\":\"" + (i % 3 == 0 ? "error" : "info") + "\",\"msg\":\"acme event " + i + "\"}");
        }
        acme.add("{\"level\":\"info\",\"msg\":\"broken"); // invalid_json
        write("uploads/acme/api/2026/11/02/app.log", String.join("\n", acme) + "\n");
        write("uploads/nobody/web/2026/11/02/app.log", "unclaimed 1\nunclaimed 2\n"); // unknown_workspace at end of input
        write("registrations.ndjson", "{\"id\":\"acme\",\"name\":\"ACME\",\"uploadPrefixes\":[\"acme/\"]}\n");
        long events = 12;
        long failures = 1 + 2;

        PostgresConfig db = POSTGRES.freshDatabase();
        String prefix = ElasticsearchExtension.uniquePrefix();
        String dlqTopic = KafkaExtension.uniqueTopic("dlq");
        KafkaExtension.createTopic(dlqTopic, 2);
        List<String> args = new ArrayList<>(List.of(PostgresExtension.jobArgs(db)));
        args.addAll(List.of(
                "--uploads.path", root.resolve("uploads").toUri().toString(),
                "--workspaces.file", root.resolve("registrations.ndjson").toUri().toString(),
                "--elasticsearch.hosts", ElasticsearchExtension.url(),
                "--elasticsearch.index-pattern", prefix + "logs-<workspace>-<yyyy.MM.dd>",
                "--elasticsearch.template-name", prefix + "template",
                "--elasticsearch.replicas", "0",
                "--elasticsearch.retention", "3650 d", // the events' day is in the past: the sweep must keep it
                "--kafka.bootstrap-servers", KafkaExtension.bootstrapServers(),
                "--dlq.kafka.enabled", "true",
                "--dlq.kafka.topic", dlqTopic,
                "--job.parallelism", "2",
                "--job.checkpoint-interval", "1 s"));
        LogflowJob.fromConfig(JobConfig.load(args.toArray(new String[0]), Map.of()))
                .execute(StreamExecutionEnvironment.getExecutionEnvironment());

        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events WHERE workspace_id = 'acme'"))
                .isEqualTo(events);
        ElasticsearchExtension.refresh();
        assertThat(ElasticsearchExtension.count(prefix + "logs-*",
                "{\"query\":{\"term\":{\"workspaceId\":\"acme\"}}}")).isEqualTo(events);
        assertThat(ElasticsearchExtension.count(prefix + "logs-acme-2026.*", "{\"query\":{\"term\":{\"level\":\"ERROR\"}}}"))
                .isEqualTo(4);

        Set<String> failureIds = PostgresExtension.counts(db, "SELECT failure_id::text, 0 FROM ingest_failures").keySet();
        assertThat(failureIds).hasSize((int) failures);
        assertThat(PostgresExtension.counts(db, "SELECT reason, count(*) FROM ingest_failures GROUP BY 1 ORDER BY 1"))
                .isEqualTo(Map.of("invalid_json", 1L, "unknown_workspace", 2L));
        assertThat(KafkaExtension.readAll(dlqTopic).stream().map(ConsumerRecord::key).collect(Collectors.toSet()))
                .isEqualTo(failureIds);
    }

    @Test
    void withThePostgresFailureTableOffFailuresGoOnlyToTheTopic() throws Exception {
        write("only-kafka/nobody/web/2026/11/02/app.log", "unclaimed 1\nunclaimed 2\n{\"msg\":\"broken\n");
        write("registrations-2.ndjson", "{\"id\":\"acme\",\"uploadPrefixes\":[\"acme/\"]}\n");
        PostgresConfig db = POSTGRES.freshDatabase();
        String dlqTopic = KafkaExtension.uniqueTopic("dlq-only");
        KafkaExtension.createTopic(dlqTopic, 1);
        List<String> args = new ArrayList<>(List.of(PostgresExtension.jobArgs(db)));
        args.addAll(List.of(
                "--uploads.path", root.resolve("only-kafka").toUri().toString(),
                "--workspaces.file", root.resolve("registrations-2.ndjson").toUri().toString(),
                "--kafka.bootstrap-servers", KafkaExtension.bootstrapServers(),
                "--dlq.kafka.enabled", "true",
                "--dlq.kafka.topic", dlqTopic,
                "--dlq.postgres.enabled", "false",
                "--job.parallelism", "2"));
        LogflowJob.fromConfig(JobConfig.load(args.toArray(new String[0]), Map.of()))
                .execute(StreamExecutionEnvironment.getExecutionEnvironment());

        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM ingest_failures")).isZero();
        assertThat(KafkaExtension.readAll(dlqTopic)).hasSize(3); // two unknown_workspace, one invalid_json
    }

    private void write(String relative, String content) throws Exception {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
