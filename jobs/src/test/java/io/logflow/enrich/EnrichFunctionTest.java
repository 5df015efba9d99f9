package io.logflow.enrich;

import io.logflow.model.Failure;
import io.logflow.model.FailureStage;
import io.logflow.model.LogEvent;
import io.logflow.model.SourceKind;
import io.logflow.pipeline.Outputs;
import io.logflow.pipeline.RoutingKey;
import io.logflow.workspace.Workspace;
import io.logflow.workspace.WorkspaceChange;
import io.logflow.workspace.WorkspaceStatus;
import io.logflow.workspace.WorkspaceValidation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The enrichment operator alone: output, side outputs, and that every key's state and timer go away. */
class EnrichFunctionTest {
    static final String ACCOUNT = "123456789012";
    static final long TIMEOUT = 1_000;
    static final int MAX_BUFFERED = 3;

    private KeyedTwoInputStreamOperatorTestHarness<String, LogEvent, WorkspaceChange, LogEvent> harness;
    private int sequence;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, LogEvent, WorkspaceChange, LogEvent> newHarness()
            throws Exception {
        EnrichOperator<LogEvent> operator = new EnrichOperator<>(new EnrichFunction(MAX_BUFFERED, TIMEOUT, 64));
        KeyedTwoInputStreamOperatorTestHarness<String, LogEvent, WorkspaceChange, LogEvent> h =
                new KeyedTwoInputStreamOperatorTestHarness<>(operator, new RoutingKey(), null, Types.STRING);
        h.getExecutionConfig().disableGenericTypes();
        h.setProcessingTime(0);
        return h;
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void eventOfARegisteredLogGroupGetsItsWorkspaceAtOnce() throws Exception {
        register(workspace("acme", "/aws/lambda/checkout"));
        LogEvent e = event("/aws/lambda/checkout", "hello");

        harness.processElement1(e, 0);

        assertThat(harness.extractOutputValues()).extracting(x -> x.eventId + "@" + x.workspaceId)
                .containsExactly(e.eventId + "@acme");
        assertThat(failures()).isEmpty();
        assertClean();
    }

    @Test
    void eventsOfAnUnknownKeyWaitAndAreReleasedInOrderWhenARegistrationClaimsThem() throws Exception {
        List<LogEvent> early = List.of(event("/ecs/shop", "one"), event("/ecs/shop", "two"), event("/ecs/shop", "three"));
        LogEvent otherKey = event("/ecs/other", "not claimed");
        for (LogEvent e : early) {
            harness.processElement1(e, 0);
        }
        harness.processElement1(otherKey, 0);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(2);

        harness.setProcessingTime(400);
        register(workspace("shop", "/ecs/shop"));

        assertThat(harness.extractOutputValues()).extracting(x -> x.message + "@" + x.workspaceId)
                .containsExactly("one@shop", "two@shop", "three@shop");
        LogEvent later = event("/ecs/shop", "four");
        harness.processElement1(later, 0);
        assertThat(harness.extractOutputValues()).extracting(x -> x.message).endsWith("four");

        // The released key's timer fires once, finds nothing and clears itself; the other key times out.
        harness.setProcessingTime(TIMEOUT);
        assertThat(failures()).extracting(f -> f.reason + ":" + f.sourceRef)
                .containsExactly("unknown_workspace:" + otherKey.sourceRef);
        assertThat(harness.extractOutputValues()).hasSize(early.size() + 1);
        assertClean();
    }

    @Test
    void eventsOfANeverRegisteredKeyFailAsUnknownWorkspaceEachAfterItsOwnTimeout() throws Exception {
        LogEvent first = event("/nobody", "a");
        LogEvent second = event("/nobody", "b");
        harness.processElement1(first, 0);
        harness.setProcessingTime(600);
        harness.processElement1(second, 0);

        harness.setProcessingTime(TIMEOUT);
        assertThat(failures()).extracting(f -> f.sourceRef).containsExactly(first.sourceRef);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

        harness.setProcessingTime(600 + TIMEOUT);
        List<Failure> failed = failures();
        assertThat(failed).extracting(f -> f.sourceRef).containsExactly(first.sourceRef, second.sourceRef);
        Failure f = failed.get(0);
        assertThat(f.stage).isEqualTo(FailureStage.ENRICH);
        assertThat(f.reason).isEqualTo(EnrichFunction.UNKNOWN_WORKSPACE);
        assertThat(f.detail).contains(ACCOUNT + "//nobody");
        assertThat(f.raw).isEqualTo("a".getBytes());
        assertThat(f.source).isEqualTo(SourceKind.CLOUDWATCH);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertClean();
    }

    @Test
    void eventsBeyondTheBufferLimitFailAtOnceAndTheBufferedOnesStillGetReleased() throws Exception {
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < MAX_BUFFERED + 2; i++) {
            events.add(event("/burst", "m" + i));
            harness.processElement1(events.get(i), 0);
        }
        assertThat(failures()).extracting(f -> f.sourceRef)
                .containsExactly(events.get(MAX_BUFFERED).sourceRef, events.get(MAX_BUFFERED + 1).sourceRef);
        assertThat(failures().get(0).detail).contains("workspaces.buffer-max-events");

        register(workspace("burst", "/burst"));
        assertThat(harness.extractOutputValues()).extracting(e -> e.message).containsExactly("m0", "m1", "m2");
        harness.setProcessingTime(TIMEOUT);
        assertClean();
    }

    @Test
    void deletedWorkspaceStopsReceivingEventsWhichThenFailAsUnknown() throws Exception {
        register(workspace("gone", "/aws/lambda/gone"));
        harness.processElement1(event("/aws/lambda/gone", "before"), 0);
        harness.processElement2(WorkspaceChange.delete("gone"), 0);
        LogEvent after = event("/aws/lambda/gone", "after");
        harness.processElement1(after, 0);

        assertThat(harness.extractOutputValues()).extracting(e -> e.message + "@" + e.workspaceId)
                .containsExactly("before@gone");
        harness.setProcessingTime(TIMEOUT);
        assertThat(failures()).extracting(f -> f.reason + ":" + f.sourceRef)
                .containsExactly("unknown_workspace:" + after.sourceRef);
        assertClean();
    }

    @Test
    void suspendedWorkspaceClaimsNothing() throws Exception {
        Workspace w = workspace("paused", "/paused");
        w.status = WorkspaceStatus.SUSPENDED;
        register(w);
        harness.processElement1(event("/paused", "x"), 0);
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.setProcessingTime(TIMEOUT);
        assertThat(failures()).extracting(f -> f.reason).containsExactly("unknown_workspace");
        assertClean();
    }

    @Test
    void exactLogGroupBeatsPrefixAndTheLongestPrefixWins() throws Exception {
        register(workspace("all-lambda", "/aws/lambda/*"));
        register(workspace("payments", "/aws/lambda/payments-*"));
        register(workspace("checkout", "/aws/lambda/payments-checkout"));

        harness.processElement1(event("/aws/lambda/payments-checkout", "exact"), 0);
        harness.processElement1(event("/aws/lambda/payments-refunds", "longer prefix"), 0);
        harness.processElement1(event("/aws/lambda/search", "shorter prefix"), 0);

        assertThat(harness.extractOutputValues()).extracting(e -> e.message + "@" + e.workspaceId).containsExactly(
                "exact@checkout", "longer prefix@payments", "shorter prefix@all-lambda");
        assertClean();
    }

    @Test
    void conflictingClaimsGoToTheLowestWorkspaceIdWhateverTheOrderOfArrival() throws Exception {
        register(workspace("zeta", "/shared"));
        register(workspace("alpha", "/shared"));
        harness.processElement1(event("/shared", "contested"), 0);
        assertThat(harness.extractOutputValues()).extracting(e -> e.workspaceId).containsExactly("alpha");
    }

    @Test
    void uploadedFilesRouteByTheLongestUploadPrefix() throws Exception {
        Workspace bucket = new Workspace("bucket", "b", null, List.of(), List.of("s3://logs/"));
        Workspace tenant = new Workspace("tenant", "t", null, List.of(), List.of("s3://logs/tenant/"));
        register(bucket);
        register(tenant);
        LogEvent a = upload("s3://logs/tenant/app.log", "in tenant");
        LogEvent b = upload("s3://logs/misc/app.log", "in bucket");
        harness.processElement1(a, 0);
        harness.processElement1(b, 0);
        assertThat(harness.extractOutputValues()).extracting(e -> e.message + "@" + e.workspaceId)
                .containsExactly("in tenant@tenant", "in bucket@bucket");
    }

    @Test
    void validationLineOfTheOwnerGoesToTheValidationOutputNotToEvents() throws Exception {
        Workspace acme = workspace("acme", "/aws/lambda/checkout");
        register(acme);
        LogEvent line = event("/aws/lambda/checkout", "2026-11-23T08:00:00Z logflow-validation workspace=acme "
                + "nonce=Zx81_kq-0PLmn2");

        harness.processElement1(line, 0);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(failures()).isEmpty();
        List<WorkspaceValidation> validations = validations();
        assertThat(validations).hasSize(1);
        WorkspaceValidation v = validations.get(0);
        assertThat(v.workspaceId).isEqualTo("acme");
        assertThat(v.nonce).isEqualTo("Zx81_kq-0PLmn2");
        assertThat(v.logGroup).isEqualTo("/aws/lambda/checkout");
        assertThat(v.eventId).isEqualTo(line.eventId);
        assertThat(v.workspace).isEqualTo(acme);
    }

    @Test
    void validationLineNamingAnotherWorkspaceIsAMismatchFailureNeverAVerification() throws Exception {
        register(workspace("acme", "/aws/lambda/checkout"));
        register(workspace("evil", "/aws/lambda/evil"));
        LogEvent forged = event("/aws/lambda/checkout", "logflow-validation workspace=evil nonce=abcdefgh1234");

        harness.processElement1(forged, 0);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(validations()).isEmpty();
        assertThat(failures()).extracting(f -> f.reason + "/" + f.workspaceId)
                .containsExactly("validation_mismatch/acme");
        assertThat(failures().get(0).detail).contains("evil").contains("acme");
    }

    @Test
    void validationLineOfAKeyRegisteredLaterVerifiesOnRelease() throws Exception {
        harness.processElement1(event("/later", "logflow-validation workspace=later nonce=n0nce-later"), 0);
        assertThat(validations()).isEmpty();
        register(workspace("later", "/later"));
        assertThat(validations()).extracting(v -> v.workspaceId + ":" + v.nonce).containsExactly("later:n0nce-later");
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.setProcessingTime(TIMEOUT);
        assertClean();
    }

    @Test
    void unreadableRegistrationIsIgnoredAndThePreviousOneStays() throws Exception {
        register(workspace("acme", "/a"));
        harness.processElement2(WorkspaceChange.invalid("acme", "not valid JSON"), 0);
        harness.processElement1(event("/a", "still routed"), 0);
        assertThat(harness.extractOutputValues()).extracting(e -> e.workspaceId).containsExactly("acme");
    }

    @Test
    void eventWithoutRoutingKeyFailsAtOnce() throws Exception {
        LogEvent e = event("/x", "no key");
        e.routingKey = null;
        harness.processElement1(e, 0);
        assertThat(failures()).extracting(f -> f.reason).containsExactly("unknown_workspace");
        assertClean();
    }

    @Test
    void whenBothInputsEndWhatStillWaitsBecomesAFailureInsteadOfVanishing() throws Exception {
        harness.processElement1(event("/never", "1"), 0);
        harness.processElement1(event("/never", "2"), 0);
        harness.processElement1(event("/also-never", "3"), 0);

        harness.endInput1();
        assertThat(failures()).isEmpty(); // registrations may still come
        harness.endInput2();

        assertThat(failures()).extracting(f -> f.reason + ":" + new String(f.raw))
                .containsExactlyInAnyOrder("unknown_workspace:1", "unknown_workspace:2", "unknown_workspace:3");
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void bufferedEventsAndRegistrationsSurviveASnapshotAndRestore() throws Exception {
        register(workspace("known", "/known"));
        harness.processElement1(event("/pending", "waiting"), 0);
        OperatorSubtaskState snapshot = harness.snapshot(1, 10);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement1(event("/known", "after restore"), 0);
        register(workspace("pending", "/pending"));

        assertThat(harness.extractOutputValues()).extracting(e -> e.message + "@" + e.workspaceId)
                .containsExactly("after restore@known", "waiting@pending");
        harness.setProcessingTime(TIMEOUT);
        assertClean();
    }

    @Test
    void restoredRegistrationsAreReplacedAndDeletedOneChangeAtATime() throws Exception {
        register(workspace("moving", "/old-home"));
        register(workspace("leaving", "/leaving"));
        register(workspace("staying", "/staying"));
        OperatorSubtaskState snapshot = harness.snapshot(1, 10);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        register(workspace("moving", "/new-home")); // replaces a registration the index only knows from the restore
        harness.processElement2(WorkspaceChange.delete("leaving"), 0);
        for (String logGroup : List.of("/old-home", "/new-home", "/leaving", "/staying")) {
            harness.processElement1(event(logGroup, logGroup), 0);
        }

        assertThat(harness.extractOutputValues()).extracting(e -> e.message + "@" + e.workspaceId)
                .containsExactly("/new-home@moving", "/staying@staying");
        harness.setProcessingTime(TIMEOUT);
        assertThat(failures()).extracting(f -> f.reason + ":" + f.sourceRef.substring(f.sourceRef.indexOf('/') + 1,
                        f.sourceRef.lastIndexOf("/stream")))
                .containsExactlyInAnyOrder("unknown_workspace:/old-home", "unknown_workspace:/leaving");
        assertClean();
    }

    private void assertClean() {
        assertThat(harness.numKeyedStateEntries()).as("keyed state entries").isZero();
        assertThat(harness.numProcessingTimeTimers()).as("processing-time timers").isZero();
        assertThat(harness.numEventTimeTimers()).as("event-time timers").isZero();
    }

    private void register(Workspace w) throws Exception {
        harness.processElement2(WorkspaceChange.put(w), 0);
    }

    static Workspace workspace(String id, String... logGroups) {
        return new Workspace(id, id, ACCOUNT, List.of(logGroups), List.of());
    }

    private LogEvent event(String logGroup, String message) {
        LogEvent e = new LogEvent();
        int n = ++sequence;
        e.eventId = "event-" + n;
        e.source = SourceKind.CLOUDWATCH;
        e.logGroup = logGroup;
        e.logStream = "stream";
        e.routingKey = ACCOUNT + "/" + logGroup;
        e.sourceRef = "cloudwatch:" + ACCOUNT + "/" + logGroup + "/stream#" + n;
        e.message = message;
        e.timestamp = 1_000L * n;
        e.ingestTime = 1_000L * n;
        return e;
    }

    private LogEvent upload(String path, String message) {
        LogEvent e = new LogEvent();
        int n = ++sequence;
        e.eventId = "event-" + n;
        e.source = SourceKind.UPLOAD;
        e.routingKey = path;
        e.sourceRef = path + "#L" + n;
        e.message = message;
        return e;
    }

    private List<Failure> failures() {
        ConcurrentLinkedQueue<StreamRecord<Failure>> out = harness.getSideOutput(Outputs.FAILURES);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    private List<WorkspaceValidation> validations() {
        ConcurrentLinkedQueue<StreamRecord<WorkspaceValidation>> out =
                harness.getSideOutput(EnrichFunction.VALIDATIONS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }
}
