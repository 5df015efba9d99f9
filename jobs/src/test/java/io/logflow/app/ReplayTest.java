package io.logflow.app;

import io.logflow.config.Settings;
import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.testing.ElasticsearchExtension;
import io.logflow.testing.PostgresExtension;
import io.logflow.testing.TestClusters;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Dead letters of a tenant that registered late are replayed into Postgres and Elasticsearch exactly once. */
class ReplayTest {
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();
    @RegisterExtension static final ElasticsearchExtension ELASTICSEARCH = new ElasticsearchExtension();

    @TempDir Path root;

    @Test
    void unknownWorkspaceFailuresAreStoredOnceAfterTheWorkspaceRegisters() throws Exception {
        write("uploads/acme/api/2026/11/02/a.log", lines("acme", 3));
        write("uploads/beta/api/2026/11/02/b.log", lines("beta", 4));
        write("uploads/gamma/api/2026/11/02/c.log", lines("gamma", 2));
        Path registrations = write("registrations.ndjson", "{\"id\":\"acme\",\"uploadPrefixes\":[\"acme/\"]}\n");
        PostgresConfig db = POSTGRES.freshDatabase();
        String prefix = ElasticsearchExtension.uniquePrefix();
        List<String> args = new ArrayList<>(List.of(PostgresExtension.jobArgs(db)));
        args.addAll(List.of(
                "--workspaces.file", registrations.toUri().toString(),
                "--elasticsearch.hosts", ElasticsearchExtension.url(),
                "--elasticsearch.index-pattern", prefix + "logs-<workspace>-<yyyy.MM.dd>",
                "--elasticsearch.template-name", prefix + "template",
                "--elasticsearch.replicas", "0",
                "--elasticsearch.retention", "3650 d", // the events' days are in the past: the sweep must keep them
                "--job.parallelism", "2"));

        List<String> run = new ArrayList<>(args);
        run.addAll(List.of("--uploads.path", root.resolve("uploads").toUri().toString()));
        LogflowJob.fromConfig(JobConfig.load(run.toArray(new String[0]), Map.of()))
                .execute(StreamExecutionEnvironment.getExecutionEnvironment());
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events")).isEqualTo(3);
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM ingest_failures WHERE reason = 'unknown_workspace'"))
                .isEqualTo(4 + 2);
        Set<String> betaIds = PostgresExtension.counts(db, "SELECT record ->> 'eventId', 0 FROM ingest_failures "
                + "WHERE record ->> 'routingKey' = 'beta'").keySet();
        assertThat(betaIds).hasSize(4);

        Files.writeString(registrations, "{\"id\":\"beta\",\"uploadPrefixes\":[\"beta/\"]}\n", StandardOpenOption.APPEND);
        Replay.Result first = replay(args);

        assertThat(first.selected).isEqualTo(6);
        assertThat(first.replayed).isEqualTo(4); // gamma is still unregistered
        assertThat(PostgresExtension.counts(db, "SELECT event_id::text, 0 FROM log_events WHERE workspace_id = 'beta'")
                .keySet()).isEqualTo(betaIds);
        ElasticsearchExtension.refresh();
        assertThat(ElasticsearchExtension.count(prefix + "logs-*", "{\"query\":{\"match_all\":{}}}")).isEqualTo(3 + 4);
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM ingest_failures WHERE replayed_at IS NOT NULL"))
                .isEqualTo(4);

        Replay.Result second = replay(args); // only gamma is left, and it fails again
        assertThat(second.selected).isEqualTo(2);
        assertThat(second.replayed).isZero();
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events")).isEqualTo(3 + 4);
        ElasticsearchExtension.refresh();
        assertThat(ElasticsearchExtension.count(prefix + "logs-*", "{\"query\":{\"match_all\":{}}}")).isEqualTo(3 + 4);
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM ingest_failures")).isEqualTo(6);
    }

    @Test
    void parseFailuresAreParsedAgainAfterTheSettingIsFixed() throws Exception {
        write("fix/acme/api/2026/11/02/a.log", lines("acme", 5));
        Path registrations = write("fix-registrations.ndjson", "{\"id\":\"acme\",\"uploadPrefixes\":[\"acme/\"]}\n");
        PostgresConfig db = POSTGRES.freshDatabase();
        List<String> args = new ArrayList<>(List.of(PostgresExtension.jobArgs(db)));
        args.addAll(List.of("--workspaces.file", registrations.toUri().toString(), "--job.parallelism", "2"));

        List<String> wrong = new ArrayList<>(args); // acme's JSON lines forced through the VPC flow log parser
        wrong.addAll(List.of("--uploads.path", root.resolve("fix").toUri().toString(), "--parse.formats", "acme:vpc-flow"));
        LogflowJob.fromConfig(JobConfig.load(wrong.toArray(new String[0]), Map.of()))
                .execute(StreamExecutionEnvironment.getExecutionEnvironment());
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events")).isZero();
        Set<String> ids = PostgresExtension.counts(db, "SELECT record ->> 'eventId', 0 FROM ingest_failures "
                + "WHERE stage = 'PARSE' AND reason = 'format_mismatch'").keySet();
        assertThat(ids).hasSize(5);

        List<String> fixed = new ArrayList<>(args); // the override removed: auto-detection reads them as JSON
        fixed.addAll(List.of("--replay.reason", "format_mismatch"));
        Replay.Result result = replay(fixed);

        assertThat(result.selected).isEqualTo(5);
        assertThat(result.replayed).isEqualTo(5);
        assertThat(PostgresExtension.counts(db, "SELECT event_id::text, 0 FROM log_events WHERE workspace_id = 'acme' "
                + "AND format = 'json'").keySet()).isEqualTo(ids);
        assertThat(replay(fixed).selected).isZero();
    }

    private static Replay.Result replay(List<String> args) throws Exception {
        Settings settings = Settings.load(args.toArray(new String[0]), Map.of(), LogflowOptions.all());
        return Replay.run(JobConfig.withoutSource(settings), settings,
                StreamExecutionEnvironment.getExecutionEnvironment());
    }

    private Path write(String relative, String content) throws Exception {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    private static String lines(String prefix, int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append("{\"level\":\"info\",\"msg\":\"").append(prefix).append(" event ").append(i).append("\"}\n");
        }
        return out.toString();
    }
}
