package io.logflow.enrich;

import io.logflow.model.Failure;
import io.logflow.model.LogEvent;
import io.logflow.model.SourceKind;
import io.logflow.pipeline.Outputs;
import io.logflow.pipeline.RoutingKey;
import io.logflow.workspace.Workspace;
import io.logflow.workspace.WorkspaceChange;
import io.logflow.workspace.WorkspaceStatus;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random interleavings of events, registrations, deletions and the passing of time through the enrichment operator:
 * no event ever carries a workspace whose registration (at the moment it leaves) does not claim its routing key, a
 * key's events leave in arrival order, and every event ends up exactly once as an event or a failure.
 */
class EnrichmentPropertiesTest {
    static final List<String> ACCOUNTS = List.of("111111111111", "222222222222");
    static final List<String> LOG_GROUPS = List.of("/a", "/a/x", "/a/xy", "/b", "/b/z");
    static final List<String> PATTERNS = List.of("/a", "/a/*", "/a/x", "/a/x*", "/b*", "/b/z", "*");
    static final List<String> IDS = List.of("w1", "w2", "w3");
    static final long TIMEOUT = 1_000;

    @Property(tries = 150)
    void noEventCarriesAWorkspaceWhoseRegistrationDoesNotClaimItsRoutingKey(
            @ForAll("scenarios") List<Action> actions) throws Exception {
        KeyedTwoInputStreamOperatorTestHarness<String, LogEvent, WorkspaceChange, LogEvent> harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(new EnrichOperator<>(new EnrichFunction(4, TIMEOUT, 64)),
                        new RoutingKey(), null, Types.STRING);
        harness.getExecutionConfig().disableGenericTypes();
        harness.setProcessingTime(0);
        harness.open();
        try {
            Map<String, Workspace> registered = new HashMap<>();
            Map<String, Integer> lastSequenceOfKey = new HashMap<>();
            long now = 0;
            int sent = 0;
            int seen = 0;
            for (Action a : actions) {
                switch (a.kind) {
                    case EVENT:
                        harness.processElement1(event(a.key, ++sent), 0);
                        break;
                    case PUT:
                        registered.put(a.workspace.id, a.workspace);
                        harness.processElement2(WorkspaceChange.put(copy(a.workspace)), 0);
                        break;
                    case DELETE:
                        registered.remove(a.id);
                        harness.processElement2(WorkspaceChange.delete(a.id), 0);
                        break;
                    case WAIT:
                        now += a.millis;
                        harness.setProcessingTime(now);
                        break;
                    default:
                        throw new IllegalStateException();
                }
                List<LogEvent> out = harness.extractOutputValues();
                for (LogEvent e : out.subList(seen, out.size())) {
                    Workspace owner = registered.get(e.workspaceId);
                    assertThat(owner).as("registration of %s for %s after %s", e.workspaceId, e.routingKey, a)
                            .isNotNull();
                    assertThat(claims(owner, e.routingKey)).as("%s claims %s", owner, e.routingKey).isTrue();
                    int sequence = Integer.parseInt(e.message);
                    assertThat(sequence).as("order of key %s", e.routingKey)
                            .isGreaterThan(lastSequenceOfKey.getOrDefault(e.routingKey, 0));
                    lastSequenceOfKey.put(e.routingKey, sequence);
                }
                seen = out.size();
            }
            harness.endInput1();
            harness.endInput2();
            ConcurrentLinkedQueue<StreamRecord<Failure>> failures = harness.getSideOutput(Outputs.FAILURES);
            int failed = failures == null ? 0 : failures.size();
            assertThat(harness.extractOutputValues().size() + failed).as("events out").isEqualTo(sent);
            assertThat(harness.numKeyedStateEntries()).isZero();
        } finally {
            harness.close();
        }
    }

    /** The test's own reading of a claim, independent of WorkspaceIndex. */
    static boolean claims(Workspace w, String routingKey) {
        if (w.status != WorkspaceStatus.ACTIVE || !routingKey.startsWith(w.awsAccountId + "/")) {
            return false;
        }
        String logGroup = routingKey.substring(w.awsAccountId.length() + 1);
        for (String p : w.logGroups) {
            boolean match = p.endsWith("*") ? logGroup.startsWith(p.substring(0, p.length() - 1)) : logGroup.equals(p);
            if (match) {
                return true;
            }
        }
        return false;
    }

    @Provide
    Arbitrary<List<Action>> scenarios() {
        Arbitrary<Action> event = Combinators.combine(Arbitraries.of(ACCOUNTS), Arbitraries.of(LOG_GROUPS))
                .as((account, group) -> Action.event(account + "/" + group));
        Arbitrary<Action> put = Combinators.combine(Arbitraries.of(IDS), Arbitraries.of(ACCOUNTS),
                        Arbitraries.of(PATTERNS).set().ofMinSize(1).ofMaxSize(3),
                        Arbitraries.integers().between(0, 9))
                .as((id, account, patterns, dice) -> {
                    Workspace w = new Workspace(id, id, account, List.copyOf(patterns), List.of());
                    w.status = dice == 0 ? WorkspaceStatus.SUSPENDED : WorkspaceStatus.ACTIVE;
                    return Action.put(w);
                });
        Arbitrary<Action> delete = Arbitraries.of(IDS).map(Action::delete);
        Arbitrary<Action> wait = Arbitraries.longs().between(1, 1_500).map(Action::waitFor);
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, event), net.jqwik.api.Tuple.of(2, put),
                        net.jqwik.api.Tuple.of(1, delete), net.jqwik.api.Tuple.of(2, wait))
                .list().ofMinSize(1).ofMaxSize(60);
    }

    private static LogEvent event(String routingKey, int sequence) {
        LogEvent e = new LogEvent();
        e.eventId = "e" + sequence;
        e.source = SourceKind.CLOUDWATCH;
        e.routingKey = routingKey;
        e.logGroup = routingKey.substring(13);
        e.sourceRef = "test#" + sequence;
        e.message = Integer.toString(sequence);
        return e;
    }

    private static Workspace copy(Workspace w) {
        Workspace c = new Workspace(w.id, w.name, w.awsAccountId, w.logGroups, w.uploadPrefixes);
        c.status = w.status;
        return c;
    }

    enum Kind { EVENT, PUT, DELETE, WAIT }

    static final class Action {
        final Kind kind;
        final String key;
        final Workspace workspace;
        final String id;
        final long millis;

        private Action(Kind kind, String key, Workspace workspace, String id, long millis) {
            this.kind = kind;
            this.key = key;
            this.workspace = workspace;
            this.id = id;
            this.millis = millis;
        }

        static Action event(String key) {
            return new Action(Kind.EVENT, key, null, null, 0);
        }

        static Action put(Workspace w) {
            return new Action(Kind.PUT, null, w, w.id, 0);
        }

        static Action delete(String id) {
            return new Action(Kind.DELETE, null, null, id, 0);
        }

        static Action waitFor(long millis) {
            return new Action(Kind.WAIT, null, null, null, millis);
        }

        @Override
        public String toString() {
            switch (kind) {
                case EVENT: return "event(" + key + ")";
                case PUT: return "put(" + workspace.id + " " + workspace.awsAccountId + " " + workspace.logGroups
                        + (workspace.status == WorkspaceStatus.SUSPENDED ? " suspended" : "") + ")";
                case DELETE: return "delete(" + id + ")";
                default: return "wait(" + millis + ")";
            }
        }
    }
}
