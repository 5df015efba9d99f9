package io.logflow.sql;

import io.logflow.app.JobConfig;
import io.logflow.app.LogflowJob;
import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.testing.KafkaExtension;
import io.logflow.testing.PostgresExtension;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.logflow.testing.Archives.completeLinesBeforeCut;
import static io.logflow.testing.Archives.gzip;
import static io.logflow.testing.Archives.utf8;

/**
 * {@link AnalystData} written by the real job ({@link LogflowJob#fromConfig}) into a fresh database and a fresh
 * dead-letter topic: uploads with workspace registrations from a file, every sink a query reads.
 */
final class AnalystDataset {
    /** An upload the job recorded as PROCESSING and never finished (a reader that died), updated this long ago. */
    static final String STUCK_UPLOAD = "file:/data/acme/api/2026/11/02/stuck.log";

    final Path root;
    final PostgresConfig db;
    final String dlqTopic;

    private AnalystDataset(Path root, PostgresConfig db, String dlqTopic) {
        this.root = root;
        this.db = db;
        this.dlqTopic = dlqTopic;
    }

    private static AnalystDataset shared;

    /**
     * The dataset, loaded by the first test class that asks in this JVM and reused by the next: the job runs once
     * for the analysts' queries and the dashboards. Its files stay under target/ for the paths the rows name.
     */
    static synchronized AnalystDataset shared(PostgresExtension postgres) throws Exception {
        if (shared == null) {
            Path target = Files.createDirectories(Path.of("target"));
            shared = load(Files.createTempDirectory(target, "analysts-").toAbsolutePath(), postgres);
        }
        return shared;
    }

    static AnalystDataset load(Path root, PostgresExtension postgres) throws Exception {
        writeUploads(root.resolve("uploads"));
        Files.writeString(root.resolve("registrations.ndjson"), AnalystData.REGISTRATIONS);
        PostgresConfig db = postgres.freshDatabase();
        String dlqTopic = KafkaExtension.uniqueTopic("analysts-dlq");
        KafkaExtension.createTopic(dlqTopic, 2);
        List<String> args = new ArrayList<>(List.of(PostgresExtension.jobArgs(db)));
        args.addAll(List.of(
                "--uploads.path", root.resolve("uploads").toUri().toString(),
                "--workspaces.file", root.resolve("registrations.ndjson").toUri().toString(),
                "--kafka.bootstrap-servers", KafkaExtension.bootstrapServers(),
                "--dlq.kafka.enabled", "true",
                "--dlq.kafka.topic", dlqTopic,
                // The days' files are read side by side: Monday's events must not make Sunday's late.
                "--metrics.out-of-orderness", "2 d",
                // The data is weeks old: a subtask idle for the default minute (a slow start on a busy machine)
                // would move its watermark to the wall clock and make every event late. The input's end closes
                // the windows.
                "--metrics.idle-timeout", "1 h",
                "--job.parallelism", "2",
                "--job.checkpoint-interval", "1 s"));
        LogflowJob.fromConfig(JobConfig.load(args.toArray(new String[0]), Map.of()))
                .execute(StreamExecutionEnvironment.getExecutionEnvironment());
        insertStuckUpload(db);
        return new AnalystDataset(root, db, dlqTopic);
    }

    private static void writeUploads(Path uploads) throws Exception {
        Map<String, List<String>> files = new LinkedHashMap<>();
        for (AnalystData.Line line : AnalystData.LINES) {
            files.computeIfAbsent(line.file(), f -> new ArrayList<>()).add(line.json());
        }
        files.get("acme/api/2026/11/02/api.log").add(3, AnalystData.BROKEN_LINE);
        files.put(AnalystData.UNCLAIMED_FILE, AnalystData.UNCLAIMED);
        for (Map.Entry<String, List<String>> f : files.entrySet()) {
            Path file = uploads.resolve(f.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, String.join("\n", f.getValue()) + "\n");
        }
        byte[] whole = gzip(utf8(AnalystData.LINES.get(0).json() + "\n"));
        byte[] cut = Arrays.copyOf(whole, 12);
        if (completeLinesBeforeCut(cut) != 0) {
            throw new IllegalStateException("the cut archive must yield no line");
        }
        Path rotated = uploads.resolve(AnalystData.CUT_FILE);
        Files.createDirectories(rotated.getParent());
        Files.write(rotated, cut);
    }

    /**
     * A finished bounded run leaves no upload PROCESSING, so the row of a reader that died mid-file is written here
     * by hand, as the job's uploads sink would have left it: 2 lines read, last updated two hours ago.
     */
    private static void insertStuckUpload(PostgresConfig db) throws Exception {
        try (Connection c = PostgresExtension.connect(db); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO uploads (path, version, status, bytes, lines, events, first_seen, "
                    + "started_at, updated_at) VALUES ('" + STUCK_UPLOAD + "', '1-100', 'PROCESSING', 100, 2, 2, "
                    + "now() - interval '3 hours', now() - interval '3 hours', now() - interval '2 hours')");
        }
    }
}
