package io.logflow.app;

import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.testing.KafkaExtension;
import io.logflow.testing.PostgresExtension;
import io.logflow.workspace.WorkspaceConfig;
import io.logflow.workspace.WorkspaceJson;
import io.logflow.workspace.WorkspaceTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code workspace put|delete|list|status} against a real Kafka and a real PostgreSQL. */
class WorkspaceCommandsTest {
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    static final String ACME = "{\"id\":\"acme\",\"name\":\"ACME\",\"awsAccountId\":\"123456789012\","
            + "\"logGroups\":[\"/aws/lambda/checkout\",\"/ecs/acme/*\"]}";

    @TempDir Path dir;
    private String topic;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void newTopic() {
        topic = KafkaExtension.uniqueTopic("workspaces");
    }

    @Test
    void putPublishesTheCanonicalRegistrationToACompactedTopicItCreates() throws Exception {
        Path file = dir.resolve("acme.json");
        Files.writeString(file, ACME);

        assertThat(run("put", file.toString())).as(err.toString()).isZero();

        List<ConsumerRecord<String, String>> records = KafkaExtension.readAll(topic);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).key()).isEqualTo("acme");
        assertThat(WorkspaceJson.parse(records.get(0).value())).isEqualTo(WorkspaceJson.parse(ACME));
        assertThat(KafkaExtension.topicConfig(topic)).containsEntry("cleanup.policy", "compact");
        assertThat(out.toString()).contains("workspace 'acme' registered")
                .containsPattern("logflow-validation workspace=acme nonce=[A-Za-z0-9_-]{22}");
    }

    @Test
    void putReadsTheRegistrationFromStandardInputOrTheArgumentAndUpdatesAnExistingOne() throws Exception {
        assertThat(runWithInput(ACME, "put", "-")).as(err.toString()).isZero();
        String renamed = ACME.replace("\"ACME\"", "\"ACME Inc\"");
        assertThat(run("put", renamed)).as(err.toString()).isZero();

        assertThat(out.toString()).contains("workspace 'acme' updated");
        assertThat(new WorkspaceTopic(config()).current().get("acme").name).isEqualTo("ACME Inc");
    }

    @Test
    void putRejectsAClaimAnotherWorkspaceAlreadyMakesAndPublishesNothing() throws Exception {
        assertThat(run("put", ACME)).isZero();
        String rival = "{\"id\":\"rival\",\"awsAccountId\":\"123456789012\",\"logGroups\":[\"/ecs/acme/*\",\"/r\"]}";

        assertThat(run("put", rival)).isEqualTo(1);

        assertThat(err.toString()).contains("workspace 'rival' not registered: log group 123456789012:/ecs/acme/* "
                + "is already claimed by workspace 'acme'");
        assertThat(KafkaExtension.readAll(topic)).hasSize(1);
    }

    @Test
    void putRejectsAnInvalidRegistrationWithAClearReason() throws Exception {
        assertThat(run("put", "{\"id\":\"x\",\"awsAccountId\":\"\",\"logGroups\":[\"/a\"]}")).isEqualTo(1);
        assertThat(err.toString()).contains("invalid registration: awsAccountId: empty");
        assertThat(run("put", "{\"id\":\"x\",\"awsAccountId\":\"123456789012\",\"logGroups\":[\"/a*b\"]}"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("logGroups[0]: '/a*b' is malformed");
        assertThat(run("put", dir.resolve("missing.json").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no such file");
    }

    @Test
    void deletePublishesATombstoneAndRefusesAnUnknownId() throws Exception {
        assertThat(run("put", ACME)).isZero();

        assertThat(run("delete", "nobody")).isEqualTo(1);
        assertThat(err.toString()).contains("unknown workspace id 'nobody' (registered: acme)");

        assertThat(run("delete", "acme")).as(err.toString()).isZero();
        List<ConsumerRecord<String, String>> records = KafkaExtension.readAll(topic);
        assertThat(records).extracting(ConsumerRecord::key).containsExactly("acme", "acme");
        assertThat(records.get(1).value()).isNull();
        assertThat(new WorkspaceTopic(config()).current()).isEmpty();
        assertThat(run("delete", "acme")).isEqualTo(1);
    }

    @Test
    void listAndStatusReadPostgres() throws Exception {
        PostgresConfig db = POSTGRES.freshDatabase();
        assertThat(runDb(db, "list")).isZero();
        assertThat(out.toString()).contains("no workspaces registered");

        try (Connection c = PostgresExtension.connect(db); Statement st = c.createStatement()) {
            st.execute("INSERT INTO workspaces (id, name, aws_account_id, log_groups, status) VALUES "
                    + "('acme', 'ACME', '123456789012', '{/aws/lambda/checkout}', 'ACTIVE'), "
                    + "('beta', 'Beta', '210987654321', '{/beta/*}', 'SUSPENDED')");
            st.execute("UPDATE workspaces SET verified_at = '2026-11-23T08:00:00Z', verification_nonce = 'n0nce123', "
                    + "verified_log_group = '/aws/lambda/checkout' WHERE id = 'acme'");
            st.execute("INSERT INTO log_events (event_id, workspace_id, event_time, ingest_time, source, source_ref) "
                    + "VALUES ('00000000-0000-3000-8000-000000000001', 'acme', '2026-11-23T09:30:00Z', now(), "
                    + "'CLOUDWATCH', 'x')");
        }
        out.reset();
        assertThat(runDb(db, "list")).isZero();
        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("ID").contains("VERIFIED");
        assertThat(lines[1]).startsWith("acme").contains("2026-11-23T08:00:00Z", "2026-11-23T09:30:00Z",
                "/aws/lambda/checkout");
        assertThat(lines[2]).startsWith("beta").contains("SUSPENDED", " no ");

        out.reset();
        assertThat(runDb(db, "status", "acme")).isZero();
        assertThat(out.toString()).contains("verified:     yes, at 2026-11-23T08:00:00Z by nonce n0nce123 in "
                + "/aws/lambda/checkout").contains("last event:   2026-11-23T09:30:00Z");
        out.reset();
        assertThat(runDb(db, "status", "beta")).isZero();
        assertThat(out.toString()).contains("verified:     no").contains("last event:   -");

        assertThat(runDb(db, "status", "nobody")).isEqualTo(1);
        assertThat(err.toString()).contains("unknown workspace id 'nobody'");
    }

    @Test
    void usageAndConfigurationMistakesExitWithTwoAndSayWhy() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown command 'frobnicate'");
        assertThat(WorkspaceCommands.run(new String[] {"put", ACME}, Map.of(), ps(out), ps(err), System.in))
                .isEqualTo(2);
        assertThat(err.toString()).contains("kafka.bootstrap-servers: required");
        assertThat(WorkspaceCommands.run(new String[] {"list"}, Map.of(), ps(out), ps(err), System.in)).isEqualTo(2);
        assertThat(err.toString()).contains("postgres.url: required");
        assertThat(run("status")).isEqualTo(2);
        assertThat(err.toString()).contains("expected the workspace id");
    }

    private WorkspaceConfig config() {
        return new WorkspaceConfig(KafkaExtension.bootstrapServers(), topic, null, 1, java.time.Duration.ofSeconds(1));
    }

    private int run(String... args) {
        return runWithInput("", args);
    }

    private int runWithInput(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--kafka.bootstrap-servers", KafkaExtension.bootstrapServers(), "--workspaces.topic", topic));
        return WorkspaceCommands.run(all.toArray(new String[0]), Map.of(), ps(out), ps(err),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    }

    private int runDb(PostgresConfig db, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(PostgresExtension.jobArgs(db)));
        return WorkspaceCommands.run(all.toArray(new String[0]), Map.of(), ps(out), ps(err), System.in);
    }

    private static PrintStream ps(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
