package io.logflow.enrich;

import io.logflow.sink.postgres.WorkspaceTable;

import io.logflow.model.LogEvent;
import io.logflow.model.RawLog;
import io.logflow.model.SourceKind;
import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.sink.postgres.PostgresSinks;
import io.logflow.testing.PostgresExtension;
import io.logflow.testing.TestClusters;
import io.logflow.workspace.Workspace;
import io.logflow.workspace.WorkspaceConfig;
import io.logflow.workspace.WorkspaceJson;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * The demo's stand-in: registrations from a file (the topic's JSON records, one per line) in a bounded run. Whatever
 * the order in which the two inputs arrive, registered uploads are routed, and what no registration claims becomes an
 * {@code unknown_workspace} failure when the run ends rather than vanishing with the dropped timers.
 */
class FileRegistrationsPipelineTest {
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    @TempDir Path dir;

    @Test
    void boundedRunRoutesRegisteredUploadsAndFailsTheRestAtTheEnd() throws Exception {
        Workspace acme = new Workspace("acme", "ACME", null, List.of(), List.of("file:///data/acme/"));
        Workspace gone = new Workspace("gone", "Gone", null, List.of(), List.of("file:///data/gone/"));
        Path registrations = dir.resolve("workspaces.ndjson");
        Files.writeString(registrations, String.join("\n", WorkspaceJson.toJson(gone), WorkspaceJson.toJson(acme),
                "", "{\"id\":\"gone\",\"deleted\":true}", "{\"id\":\"broken\",\"logGroups\":[\"/a*b\"]}") + "\n");

        List<LogEvent> events = new ArrayList<>();
        int acmeLines = 25;
        int strayLines = 4;
        for (int i = 1; i <= acmeLines; i++) {
            events.add(line("file:/data/acme/app.log", i));
        }
        for (int i = 1; i <= strayLines; i++) {
            events.add(line("file:/data/stray/app.log", i));
        }
        events.add(line("file:/data/acme/verify.log", 1, "logflow-validation workspace=acme nonce=file-n0nce-1"));

        PostgresConfig db = POSTGRES.freshDatabase();
        WorkspaceConfig config = new WorkspaceConfig(null, "unused", registrations.toUri().toString(), 100,
                Duration.ofMinutes(10));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.getConfig().disableGenericTypes();
        env.setParallelism(2);
        DataStream<LogEvent> input = env.fromData(events, TypeInformation.of(LogEvent.class))
                .uid("test-events").name("Test events");
        Enrichment.Result enriched = Enrichment.withRegistrations(env, input, config, 256);
        WorkspaceTable.write(enriched.registrations, enriched.validations, db);
        enriched.events.sinkTo(PostgresSinks.logEvents(db)).uid("postgres-log-events").name("events");
        enriched.failures.sinkTo(PostgresSinks.failures(db)).uid("postgres-failures").name("failures");
        env.execute("file registrations test");

        assertThat(PostgresExtension.counts(db, "SELECT workspace_id, count(*) FROM log_events GROUP BY 1"))
                .containsExactly(entry("acme", (long) acmeLines));
        assertThat(PostgresExtension.counts(db, "SELECT reason, count(*) FROM ingest_failures GROUP BY 1"))
                .containsExactly(entry("unknown_workspace", (long) strayLines));
        assertThat(PostgresExtension.counts(db, "SELECT id || ':' || (verified_at IS NOT NULL), count(*) "
                + "FROM workspaces GROUP BY 1")).containsExactly(entry("acme:true", 1L));
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events") + PostgresExtension.count(db,
                "SELECT count(*) FROM ingest_failures") + 1 /* the validation line */).isEqualTo(events.size());
    }

    private static LogEvent line(String path, long n) {
        return line(path, n, "line " + n + " of " + path);
    }

    private static LogEvent line(String path, long n, String message) {
        RawLog raw = RawLog.fileLine(path, null, n, message, 1_000L);
        LogEvent e = new LogEvent();
        e.eventId = raw.eventId;
        e.source = SourceKind.UPLOAD;
        e.routingKey = raw.routingKey;
        e.sourceRef = raw.sourceRef();
        e.message = message;
        e.timestamp = 1_000L;
        e.ingestTime = 1_000L;
        return e;
    }
}
