package io.logflow.app;

import io.logflow.config.Settings;
import io.logflow.model.Marker;
import io.logflow.model.RawLog;
import io.logflow.model.UploadStatus;
import io.logflow.pipeline.LogSource;
import io.logflow.testing.TestClusters;
import io.logflow.workspace.WorkspaceValidation;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole topology of {@link LogflowJob}, built with a bounded source and collecting sinks, as the flink-training
 * exercises test their jobs: no database, no broker. Registrations come from a file. Every output is checked: events
 * with their workspace, failures, upload progress, registrations, validations; the metrics' SQL runs into a
 * blackhole.
 */
class LogflowJobTopologyTest {
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);

    private static final long T0 = 1_793_610_000_000L; // 2026-11-02T09:00:00Z
    private static final String PATH = "file:/uploads/acme/api/2026/11/02/app.log";

    @TempDir Path dir;

    @Test
    void everyOutputOfTheJobComesFromItsSourcesWithoutAnyStore() throws Exception {
        Path registrations = dir.resolve("registrations.ndjson");
        Files.writeString(registrations, "{\"id\":\"acme\",\"name\":\"ACME\",\"uploadPrefixes\":[\"acme/\"]}\n");
        List<String> lines = List.of(
                "{\"level\":\"info\",\"message\":\"first\"}",
                "{\"level\":\"error\",\"message\":\"second\",\"request_id\":\"r-1\",\"duration_ms\":12}",
                "{\"level\":\"info\" \"message\":\"missing comma\"}",
                "",
                "logflow-validation workspace=acme nonce=nonce-12345",
                "plain text third");
        List<RawLog> input = new ArrayList<>();
        input.add(marker(Marker.FILE_START, 0));
        for (int i = 0; i < lines.size(); i++) {
            RawLog line = RawLog.fileLine(PATH, "v1", null, i + 1, lines.get(i), T0 + i);
            line.routingKey = "acme";
            input.add(line);
        }
        RawLog end = marker(Marker.FILE_END, lines.size());
        end.line = lines.size();
        input.add(end);

        // no source key: the test hands the job its source
        JobConfig config = JobConfig.withoutSource(Settings.load(new String[] {
                "--postgres.url", "jdbc:postgresql://127.0.0.1:1/never-connected",
                "--workspaces.file", registrations.toUri().toString(),
                // two parallel instances: a file's markers carry its routing key, so they reach the instance of the
                // parse step that gets the file's lines, in order, and its counts are whole
                "--job.parallelism", "2"}, Map.of(), LogflowOptions.all()));
        CollectingSinks sinks = new CollectingSinks("topology-" + System.nanoTime());
        // one reader for the file, as the upload source has: its records leave in order, markers included
        LogSource source = env -> LogSource.Streams.ofRecords(
                env.fromData(input, TypeInformation.of(RawLog.class)).setParallelism(1).uid("test-source")
                        .name("Test lines"), "test-batches");
        new LogflowJob(config, List.of(source), sinks).execute(StreamExecutionEnvironment.getExecutionEnvironment());

        assertThat(sinks.events()).extracting(e -> e.message)
                .containsExactlyInAnyOrder("first", "second", "plain text third");
        assertThat(sinks.events()).allSatisfy(e -> assertThat(e.workspaceId).isEqualTo("acme"));
        assertThat(sinks.events()).allSatisfy(e -> assertThat(e.templateId).matches("[0-9a-f]{16}"));
        assertThat(sinks.templates()).extracting(t -> t.workspaceId + " " + t.example)
                .contains("acme first", "acme second", "acme plain text third");
        assertThat(sinks.failures()).extracting(f -> f.reason).containsExactly("invalid_json");
        assertThat(sinks.failures().get(0).sourceRef).isEqualTo(PATH + "#L3");
        assertThat(sinks.validations()).extracting((WorkspaceValidation v) -> v.workspaceId + " " + v.nonce)
                .containsExactly("acme nonce-12345");
        assertThat(sinks.registrations()).hasSize(1);
        Map<String, UploadStatus> last = sinks.uploads().stream()
                .collect(Collectors.toMap(u -> u.status, u -> u, (a, b) -> b));
        UploadStatus done = last.get(UploadStatus.DONE);
        // lines = events + failures + skipped: the validation line counts as an event of the parser
        assertThat(done.lines + "=" + done.events + "+" + done.failures + "+" + done.skipped).isEqualTo("6=4+1+1");
        assertThat(sinks.events().size() + sinks.validations().size() + sinks.failures().size())
                .as("every non-blank line is one event, one validation or one failure").isEqualTo(lines.size() - 1);
    }

    /** One exchange: the parse, the enrichment and the template step share a task, fed by the sources' raw records. */
    @Test
    void parseEnrichmentAndTemplateStepShareOneTask() throws Exception {
        Path registrations = dir.resolve("registrations.ndjson");
        Files.writeString(registrations, "{\"id\":\"acme\",\"name\":\"ACME\",\"uploadPrefixes\":[\"acme/\"]}\n");
        JobConfig config = JobConfig.withoutSource(Settings.load(new String[] {
                "--postgres.url", "jdbc:postgresql://127.0.0.1:1/never-connected",
                "--workspaces.file", registrations.toUri().toString()}, Map.of(), LogflowOptions.all()));
        LogSource source = env -> LogSource.Streams.ofRecords(
                env.fromData(List.of(marker(Marker.FILE_START, 0)), TypeInformation.of(RawLog.class))
                        .uid("test-source").name("Test lines"), "test-batches");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new LogflowJob(config, List.of(source), new CollectingSinks("chain-" + System.nanoTime())).build(env);
        List<String> vertices = new ArrayList<>();
        env.getStreamGraph().getJobGraph().getVertices().forEach(v -> vertices.add(v.getName()));
        assertThat(vertices).filteredOn(name -> name.contains("Mine templates")).singleElement()
                .satisfies(name -> assertThat(name).contains("Join, parse and enrich"));
    }

    private static RawLog marker(Marker marker, long line) {
        RawLog raw = RawLog.fileMarker(marker, PATH, "v1", T0);
        raw.routingKey = "acme"; // as the source sets it: the file's routing key, the same as its lines'

        raw.fileBytes = 200;
        raw.line = line;
        return raw;
    }
}
