package io.logflow.enrich;

import io.logflow.model.EventIds;
import io.logflow.model.Failure;
import io.logflow.model.LogEvent;
import io.logflow.model.RawLog;
import io.logflow.model.SourceKind;
import io.logflow.parse.ParserOptions;
import io.logflow.pipeline.BatchRoutingKey;
import io.logflow.pipeline.Outputs;
import io.logflow.pipeline.RecordsToEvents;
import io.logflow.workspace.Workspace;
import io.logflow.workspace.WorkspaceChange;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job's one step after the exchange: CloudWatch events of a routing key joined per log stream, parsed and enriched
 * in one operator, with the join's and the enrichment's timers side by side and both let out at the end of input.
 */
class ParseAndEnrichFunctionTest {
    private static final String ACCOUNT = "123456789012";
    private static final String GROUP = "/aws/lambda/checkout";
    private static final long JOIN_FLUSH = 500;
    private static final long BUFFER_TIMEOUT = 10_000;

    private KeyedTwoInputStreamOperatorTestHarness<String, List<RawLog>, WorkspaceChange, LogEvent> harness;

    @BeforeEach
    void open() throws Exception {
        ParseAndEnrichFunction function = new ParseAndEnrichFunction(
                new RecordsToEvents(ParserOptions.defaults(), 64, JOIN_FLUSH), 100, BUFFER_TIMEOUT, 64);
        harness = new KeyedTwoInputStreamOperatorTestHarness<>(new EnrichOperator<>(function), new BatchRoutingKey(),
                null, Types.STRING);
        harness.getExecutionConfig().disableGenericTypes();
        harness.setProcessingTime(1_000);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void aStackTraceSpreadOverPayloadsBecomesOneEnrichedEvent() throws Exception {
        register();
        harness.processElement1(List.of(event("s1", "1", "ERROR checkout failed"),
                event("s1", "2", "java.lang.IllegalStateException: boom")), 0);
        harness.processElement1(List.of(event("s2", "1", "other stream")), 0);
        harness.processElement1(List.of(event("s1", "3", "\tat com.acme.Cart.checkout(Cart.java:42)"),
                event("s1", "4", "done")), 0);

        assertThat(harness.extractOutputValues()).extracting(e -> e.logStream + ":" + e.message + "@" + e.workspaceId)
                .containsExactly("s1:checkout failed@acme",
                        "s1:java.lang.IllegalStateException: boom\n\tat com.acme.Cart.checkout(Cart.java:42)@acme");
        assertThat(harness.extractOutputValues().get(1).eventId)
                .isEqualTo(EventIds.of("cloudwatch", ACCOUNT, GROUP, "2"));

        harness.setProcessingTime(1_000 + JOIN_FLUSH); // both streams are quiet: their last events leave
        assertThat(harness.extractOutputValues().subList(2, 4)).extracting(e -> e.message)
                .containsExactlyInAnyOrder("other stream", "done"); // each stream in order, not across streams
        assertThat(failures()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aJoinedEventOfAnUnknownKeyWaitsForItsRegistrationLikeAnyOther() throws Exception {
        harness.processElement1(List.of(event("s1", "1", "first"), event("s1", "2", "second")), 0);
        harness.setProcessingTime(1_000 + JOIN_FLUSH);
        assertThat(harness.extractOutputValues()).isEmpty();

        register();

        assertThat(harness.extractOutputValues()).extracting(e -> e.message + "@" + e.workspaceId)
                .containsExactly("first@acme", "second@acme");
        harness.setProcessingTime(1_000 + BUFFER_TIMEOUT + JOIN_FLUSH); // the timers left behind find nothing
        assertThat(failures()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void theEndOfTheRecordsLetsTheJoinsOutAndTheRegistrationsCanStillClaimThem() throws Exception {
        // a bounded input, or a stop with --drain: Flink drops the timer that would have let "last" out
        harness.processElement1(List.of(event("s1", "1", "last")), 0);
        harness.endInput1();
        assertThat(harness.extractOutputValues()).isEmpty(); // parsed, and waiting for a workspace

        register(); // the registrations input is still open

        assertThat(harness.extractOutputValues()).extracting(e -> e.message + "@" + e.workspaceId)
                .containsExactly("last@acme");
    }

    @Test
    void whenBothInputsEndWhatNoRegistrationClaimedFailsAsUnknownWorkspace() throws Exception {
        harness.processElement1(List.of(event("s1", "1", "held in the join")), 0);
        harness.endInput2();
        harness.endInput1();

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(failures()).extracting(f -> f.reason + ":" + f.sourceRef)
                .containsExactly("unknown_workspace:cloudwatch:" + ACCOUNT + "/" + GROUP + "/s1#1");
    }

    private void register() throws Exception {
        harness.processElement2(WorkspaceChange.put(
                new Workspace("acme", "ACME", ACCOUNT, List.of(GROUP), List.of())), 0);
    }

    private static RawLog event(String stream, String id, String message) {
        RawLog raw = new RawLog();
        raw.source = SourceKind.CLOUDWATCH;
        raw.owner = ACCOUNT;
        raw.logGroup = GROUP;
        raw.logStream = stream;
        raw.cloudwatchId = id;
        raw.text = message;
        raw.receiveTime = 1_000;
        raw.routingKey = ACCOUNT + "/" + GROUP;
        raw.eventId = EventIds.of("cloudwatch", ACCOUNT, GROUP, id);
        return raw;
    }

    private List<Failure> failures() {
        ConcurrentLinkedQueue<StreamRecord<Failure>> out = harness.getSideOutput(Outputs.FAILURES);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }
}
