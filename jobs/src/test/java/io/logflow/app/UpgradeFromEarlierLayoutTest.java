package io.logflow.app;

import io.logflow.config.Settings;
import io.logflow.model.EventIds;
import io.logflow.model.LogEvent;
import io.logflow.pipeline.LogSource;
import io.logflow.source.kinesis.KinesisLogSource;
import io.logflow.testing.TestClusters;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upgrade from the layout before the one exchange (decode, multi-line join keyed by log stream, parse, enrichment
 * keyed by routing key) to this one, from a real savepoint of that version (see the README beside it in
 * {@code upgrade/before-one-exchange}): it was stopped, without draining, while its joiner held each log stream's last
 * event. Restored with {@code --allowNonRestoredState} as the operator's guide says, this version must store every line
 * of the input exactly once across the two runs, keep the registrations (the file they came from is not read again)
 * and the templates, and fail nothing.
 */
class UpgradeFromEarlierLayoutTest {
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);

    private static final String RESOURCES = "/upgrade/before-one-exchange/";

    @TempDir Path dir;

    @Test
    void aSavepointOfTheEarlierLayoutRestoresWithNothingLostOrStoredTwice() throws Exception {
        Path emptyRegistrations = Files.writeString(dir.resolve("registrations.ndjson"), "");
        JobConfig config = JobConfig.withoutSource(Settings.load(new String[] {
                "--postgres.url", "jdbc:postgresql://127.0.0.1:1/never-connected",
                "--workspaces.file", emptyRegistrations.toUri().toString(),
                "--job.parallelism", "2",
                "--job.checkpoint-interval", "1 s",
                "--kinesis.stream-arn", "arn:aws:kinesis:us-east-1:000000000000:stream/upgrade",
                "--kinesis.multiline-flush-timeout", "500 ms",
                "--metrics.enabled", "false"}, Map.of(), LogflowOptions.all()));
        CollectingSinks sinks = new CollectingSinks("upgrade-" + System.nanoTime());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new LogflowJob(config, List.of(payloads(config)), sinks).build(env);
        StreamGraph graph = env.getStreamGraph();
        String savepoint = Path.of(getClass().getResource(RESOURCES + "savepoint").toURI()).toUri().toString();
        graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, true));

        JobClient job = env.executeAsync(graph);
        try {
            // The earlier run read payloads 0..21. Each stream's last event waits for what follows it, so wait until
            // a line of each stream past 40 is stored: every line up to 40 is then out.
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!storedLine(sinks, 43) || !storedLine(sinks, 44)) {
                assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("job ended").isFalse();
                assertThat(System.nanoTime()).as("payloads 43 and 44 stored in time").isLessThan(deadline);
                Thread.sleep(100);
            }
        } finally {
            job.cancel().get();
        }

        List<String[]> before = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(getClass().getResource(RESOURCES + "stored-before.txt")
                .toURI()))) {
            before.add(line.split("\t", 4));
        }
        List<LogEvent> after = sinks.events();
        List<String> lines = new ArrayList<>();
        for (String[] row : before) {
            lines.addAll(linesOf(unescape(row[3])));
        }
        for (LogEvent e : after) {
            lines.addAll(linesOf(e.message));
        }
        for (long n = 0; n <= 40; n++) {
            String expected = storedLine(n);
            assertThat(lines).as("payload %d's line", n).filteredOn(expected::equals).hasSize(1);
        }
        // the events the earlier joiner held at the savepoint: stored now, with the ids of their first lines
        assertThat(after).extracting(e -> e.eventId).contains(cloudWatchId(18), cloudWatchId(21));
        // the registrations came back from the enrichment's state: the file is empty, and not read again anyway
        assertThat(after).allSatisfy(e -> assertThat(e.workspaceId).isEqualTo("acme"));
        // the templates too: a line of a template founded before the upgrade keeps its id
        Map<String, String> templateBefore = new HashMap<>();
        for (String[] row : before) {
            templateBefore.put(unescape(row[3]).startsWith("java.lang") ? "boom" : "request", row[1]);
        }
        assertThat(after).filteredOn(e -> e.message.startsWith("java.lang")).extracting(e -> e.templateId)
                .isNotEmpty().containsOnly(templateBefore.get("boom"));
        assertThat(sinks.failures()).isEmpty();
    }

    private static LogSource payloads(JobConfig config) {
        return env -> KinesisLogSource.decode(
                env.fromSource(new DataGeneratorSource<>(new UpgradePayloads(), Long.MAX_VALUE,
                                        RateLimiterStrategy.perSecond(10),
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO),
                                WatermarkStrategy.noWatermarks(), "Upgrade payloads",
                                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                        .uid("upgrade-payloads")
                        .name("Upgrade payloads")
                        .setParallelism(1), // as in the earlier run: one reader, payloads 0, 1, 2, ...
                config.kinesis.get(), config.failureMaxRawBytes);
    }

    /**
     * Payload {@code n}'s line as stored, trimmed: an error line loses its level word to the level, and a stack frame
     * that starts an event of its own (its stream's earlier line was still held when it came) loses its tab.
     */
    private static String storedLine(long n) {
        String message = UpgradePayloads.message(n);
        return (message.startsWith("ERROR ") ? message.substring("ERROR ".length()) : message).strip();
    }

    private static boolean storedLine(CollectingSinks sinks, long n) {
        String line = storedLine(n);
        return sinks.events().stream().anyMatch(e -> linesOf(e.message).contains(line));
    }

    private static List<String> linesOf(String message) {
        List<String> lines = new ArrayList<>();
        for (String line : message.split("\n")) {
            lines.add(line.strip());
        }
        return lines;
    }

    private static String cloudWatchId(long n) {
        return EventIds.of("cloudwatch", UpgradePayloads.OWNER, UpgradePayloads.LOG_GROUP, Long.toString(n));
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                out.append(c);
                continue;
            }
            char next = s.charAt(++i);
            out.append(next == 'n' ? '\n' : next == 't' ? '\t' : next == 'r' ? '\r' : next);
        }
        return out.toString();
    }
}
