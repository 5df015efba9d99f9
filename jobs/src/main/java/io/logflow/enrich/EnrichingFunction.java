package io.logflow.enrich;

import io.logflow.model.Failure;
import io.logflow.model.FailureStage;
import io.logflow.model.LogEvent;
import io.logflow.pipeline.EventRecords;
import io.logflow.pipeline.Outputs;
import io.logflow.pipeline.ReasonCounters;
import io.logflow.workspace.ValidationLine;
import io.logflow.workspace.Workspace;
import io.logflow.workspace.WorkspaceChange;
import io.logflow.workspace.WorkspaceIndex;
import io.logflow.workspace.WorkspaceValidation;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Gives each event its workspace: the enrichment that {@link EnrichFunction} (events) and
 * {@link ParseAndEnrichFunction} (raw records, parsed first) run on their keyed input. Keyed by routing key; the registrations are broadcast state, the same on every
 * subtask, looked up through a {@link WorkspaceIndex} (exact log group, then longest prefix, then upload prefix).
 *
 * <ul>
 *   <li>Known key: the event leaves with {@code workspaceId} set.</li>
 *   <li>Unknown key: the event waits in keyed state, at most {@code bufferMaxEvents} per key (more fail at once) and
 *       at most {@code bufferTimeout} each (a processing-time timer). A registration that claims the key releases its
 *       events in arrival order; a timeout turns them into {@code unknown_workspace} failures (stage ENRICH).</li>
 *   <li>A validation line ({@link ValidationLine}) never leaves as an event: for the key's owner it goes to
 *       {@link #VALIDATIONS}; naming another workspace it is a {@code validation_mismatch} failure.</li>
 *   <li>A deleted (or suspended) workspace claims nothing: its later events are those of an unknown key.</li>
 * </ul>
 * A key's state and timer are gone once its buffer is empty (a timer left behind by a release fires once and clears
 * itself). {@link EnrichOperator} fails what is still buffered when both inputs end (a bounded run).
 *
 * @param <IN> what the keyed input carries; a subclass turns it into events for {@link #enrich}
 */
public abstract class EnrichingFunction<IN>
        extends KeyedBroadcastProcessFunction<String, IN, WorkspaceChange, LogEvent> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LogManager.getLogger(EnrichingFunction.class);

    public static final String UNKNOWN_WORKSPACE = "unknown_workspace";
    public static final String VALIDATION_MISMATCH = "validation_mismatch";

    /** The registrations, by workspace id: broadcast state. */
    public static final MapStateDescriptor<String, Workspace> REGISTRATIONS = new MapStateDescriptor<>(
            "workspace-registrations", Types.STRING, TypeInformation.of(Workspace.class));

    /** Validation lines for the workspace that owns their routing key. */
    public static final OutputTag<WorkspaceValidation> VALIDATIONS =
            new OutputTag<>("workspace-validations", TypeInformation.of(WorkspaceValidation.class));

    static final ListStateDescriptor<BufferedEvent> BUFFER =
            new ListStateDescriptor<>("unknown-workspace-buffer", TypeInformation.of(BufferedEvent.class));
    static final ValueStateDescriptor<Integer> BUFFERED_COUNT =
            new ValueStateDescriptor<>("unknown-workspace-buffered", Types.INT);
    /** Time of the key's registered processing-time timer; every key with buffered events has one. */
    static final ValueStateDescriptor<Long> TIMER = new ValueStateDescriptor<>("unknown-workspace-timer", Types.LONG);

    private final int bufferMaxEvents;
    private final long bufferTimeoutMillis;
    private final int failureMaxRawBytes;

    private transient ListState<BufferedEvent> buffer;
    private transient ValueState<Integer> bufferedCount;
    private transient ValueState<Long> timer;
    /**
     * Built from the broadcast state on first use (after a start or restore), then updated with every change; the
     * same on every subtask. It holds the registrations' own objects, not copies.
     */
    private transient WorkspaceIndex index;
    private transient CallScope callScope;

    private transient Counter enriched;
    private transient Counter buffered;
    private transient Counter released;
    private transient Counter validations;
    private transient Counter registrationsApplied;
    private transient Counter registrationsInvalid;
    private transient ReasonCounters failures;
    private transient volatile int conflicts;

    protected EnrichingFunction(int bufferMaxEvents, long bufferTimeoutMillis, int failureMaxRawBytes) {
        if (bufferMaxEvents <= 0 || bufferTimeoutMillis <= 0 || failureMaxRawBytes <= 0) {
            throw new IllegalArgumentException("buffer size, buffer timeout and raw bytes must be positive");
        }
        this.bufferMaxEvents = bufferMaxEvents;
        this.bufferTimeoutMillis = bufferTimeoutMillis;
        this.failureMaxRawBytes = failureMaxRawBytes;
    }

    @Override
    public void open(Configuration parameters) throws Exception {
        callScope = new CallScope();
        buffer = getRuntimeContext().getListState(BUFFER);
        bufferedCount = getRuntimeContext().getState(BUFFERED_COUNT);
        timer = getRuntimeContext().getState(TIMER);
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        enriched = metrics.counter("eventsEnriched");
        buffered = metrics.counter("eventsBuffered");
        released = metrics.counter("eventsReleased");
        validations = metrics.counter("validations");
        registrationsApplied = metrics.counter("registrationsApplied");
        registrationsInvalid = metrics.counter("registrationsInvalid");
        metrics.gauge("registrationConflicts", () -> conflicts);
        failures = new ReasonCounters(metrics.addGroup("failures"));
    }

    /** The scope of one call of {@code processElement} or {@code onTimer}, for {@link #enrich}. */
    protected final Scope scope(ReadOnlyContext ctx) {
        callScope.ctx = ctx;
        return callScope;
    }

    /** Gives an event of the current key its workspace, or holds it until one claims the key, or fails it. */
    protected final void enrich(LogEvent event, Scope scope, Collector<LogEvent> out) throws Exception {
        String key = scope.key();
        if (key.isEmpty()) {
            fail(scope.sides, event, UNKNOWN_WORKSPACE, "the event has no routing key", null);
            return;
        }
        ReadOnlyBroadcastState<String, Workspace> registrations = scope.registrations();
        WorkspaceIndex.Match match = index(registrations).match(key);
        Integer waiting = bufferedCount.value();
        if (match == null) {
            hold(event, waiting == null ? 0 : waiting, scope);
            return;
        }
        if (waiting != null) {
            // Normally a registration releases a key's events the moment it arrives; this keeps the order regardless.
            releaseCurrentKey(match, registrations::get, scope.sides, out);
        }
        route(event, match, registrations.get(match.workspaceId), scope.sides, out);
    }

    @Override
    public void processBroadcastElement(WorkspaceChange change, Context ctx, Collector<LogEvent> out)
            throws Exception {
        if (change.invalid != null) {
            registrationsInvalid.inc();
            LOG.warn("ignoring unreadable registration of workspace '{}': {} (its previous registration stays)",
                    change.id, change.invalid);
            return;
        }
        BroadcastState<String, Workspace> registrations = ctx.getBroadcastState(REGISTRATIONS);
        WorkspaceIndex current = index(registrations); // as it stands before the change (built once after a restore)
        Workspace previous = registrations.get(change.id);
        if (change.isDelete()) {
            registrations.remove(change.id);
        } else {
            // The registration's own id as key: after the network copy, change.id is an equal but separate string.
            registrations.put(change.id.equals(change.workspace.id) ? change.workspace.id : change.id,
                    change.workspace);
        }
        // One change, not a rebuild: rebuilding for each of 100 K registrations made loading them quadratic.
        current.update(previous, change.workspace);
        registrationsApplied.inc();
        conflicts = current.conflictCount();
        if (!change.isPut() || !change.workspace.isActive()) {
            return;
        }
        for (WorkspaceIndex.Conflict c : current.conflictsOf(change.workspace)) {
            LOG.warn("conflicting workspace registrations: {}", c);
        }
        Sides sides = new Sides(f -> ctx.output(Outputs.FAILURES, f), v -> ctx.output(VALIDATIONS, v),
                ctx::currentProcessingTime);
        // Every key with buffered events has a timer entry; iterate those and release the keys the change claims.
        // (The buffer and count are changed inside, the iterated timer state is not: the heap backend's iteration
        // does not allow changing the state it walks.)
        ctx.applyToKeyedState(TIMER, (key, timerOfKey) -> {
            WorkspaceIndex.Match match = current.match(key);
            if (match != null) {
                releaseCurrentKey(match, registrations::get, sides, out);
            }
        });
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LogEvent> out) throws Exception {
        Long due = timer.value();
        if (due == null || due > timestamp) {
            return; // a timer of the subclass's own (the multi-line join's)
        }
        timer.clear();
        List<BufferedEvent> waiting = new ArrayList<>();
        for (BufferedEvent b : buffer.get()) {
            waiting.add(b);
        }
        List<BufferedEvent> remaining = new ArrayList<>();
        Sides sides = new Sides(f -> ctx.output(Outputs.FAILURES, f), v -> ctx.output(VALIDATIONS, v), () -> timestamp);
        for (BufferedEvent b : waiting) {
            if (b.bufferedAt + bufferTimeoutMillis <= timestamp) {
                fail(sides, b.event, UNKNOWN_WORKSPACE, "no registered workspace claims routing key '"
                        + ctx.getCurrentKey() + "' (waited " + bufferTimeoutMillis + " ms)", null);
            } else {
                remaining.add(b);
            }
        }
        if (remaining.isEmpty()) {
            buffer.clear();
            bufferedCount.clear();
        } else {
            buffer.update(remaining);
            bufferedCount.update(remaining.size());
            long next = remaining.get(0).bufferedAt + bufferTimeoutMillis;
            ctx.timerService().registerProcessingTimeTimer(next);
            timer.update(next);
        }
    }

    /** Fails every event still buffered for the current key and clears its state; for the end of a bounded run. */
    void failBufferedAtEndOfInput(String key, Consumer<Failure> failed, long now) throws Exception {
        Sides sides = new Sides(failed, v -> {}, () -> now);
        for (BufferedEvent b : buffer.get()) {
            fail(sides, b.event, UNKNOWN_WORKSPACE, "no registered workspace claimed routing key '" + key
                    + "' before the input ended", null);
        }
        buffer.clear();
        bufferedCount.clear();
        timer.clear();
    }

    /**
     * State whose keys hold work to finish when the keyed input ends, before buffered events are failed; null when
     * there is none. {@link EnrichOperator} walks them and calls {@link #finishAtEndOfRecords} for each.
     */
    ValueStateDescriptor<?> stateToFinishAtEndOfRecords() {
        return null;
    }

    /** Finishes the current key's work when the keyed input ends (see {@link #stateToFinishAtEndOfRecords}). */
    void finishAtEndOfRecords(Scope scope, Collector<LogEvent> out) throws Exception {}

    /** The side outputs and clock of whichever context is at hand (Flink's contexts share no public type). */
    static final class Sides {
        final Consumer<Failure> failures;
        final Consumer<WorkspaceValidation> validations;
        final LongSupplier now;

        Sides(Consumer<Failure> failures, Consumer<WorkspaceValidation> validations, LongSupplier now) {
            this.failures = failures;
            this.validations = validations;
            this.now = now;
        }
    }

    /** The sides, plus what a new event needs: its key, the registrations, the timers (the end of input has no context). */
    protected abstract static class Scope {
        Sides sides;

        abstract String key();

        abstract ReadOnlyBroadcastState<String, Workspace> registrations() throws Exception;

        abstract TimerService timers();
    }

    /** A call's context as a scope: one instance per function, pointed at each call's context. */
    private final class CallScope extends Scope {
        private ReadOnlyContext ctx;

        CallScope() {
            sides = new Sides(f -> ctx.output(Outputs.FAILURES, f), v -> ctx.output(VALIDATIONS, v),
                    () -> ctx.currentProcessingTime());
        }

        @Override
        String key() {
            return ctx.getCurrentKey();
        }

        @Override
        ReadOnlyBroadcastState<String, Workspace> registrations() throws Exception {
            return ctx.getBroadcastState(REGISTRATIONS);
        }

        @Override
        TimerService timers() {
            return ctx.timerService();
        }
    }

    /** A registration by workspace id, from broadcast state or a snapshot of it. */
    private interface Lookup {
        Workspace get(String workspaceId) throws Exception;
    }

    private void hold(LogEvent event, int waiting, Scope scope) throws Exception {
        long now = scope.sides.now.getAsLong();
        if (waiting >= bufferMaxEvents) {
            fail(scope.sides, event, UNKNOWN_WORKSPACE, "no registered workspace claims routing key '"
                    + scope.key() + "' and " + waiting + " events already wait for one "
                    + "(workspaces.buffer-max-events)", null);
            return;
        }
        buffer.add(new BufferedEvent(event, now));
        bufferedCount.update(waiting + 1);
        buffered.inc();
        if (timer.value() == null) {
            long at = now + bufferTimeoutMillis;
            scope.timers().registerProcessingTimeTimer(at);
            timer.update(at);
        }
        // else: the registered timer fires no later than this event's deadline and re-arms for the next one
    }

    /** Emits the current key's buffered events in arrival order and empties its buffer (the timer clears itself). */
    private void releaseCurrentKey(WorkspaceIndex.Match match, Lookup lookup,
            Sides ctx, Collector<LogEvent> out) throws Exception {
        Workspace owner = lookup.get(match.workspaceId);
        for (BufferedEvent b : buffer.get()) {
            released.inc();
            route(b.event, match, owner, ctx, out);
        }
        buffer.clear();
        bufferedCount.clear();
    }

    private void route(LogEvent event, WorkspaceIndex.Match match, Workspace owner, Sides ctx,
            Collector<LogEvent> out) {
        ValidationLine validation = ValidationLine.find(event.message);
        if (validation == null) {
            event.workspaceId = match.workspaceId;
            enriched.inc();
            out.collect(event);
        } else if (validation.workspaceId.equals(match.workspaceId)) {
            WorkspaceValidation v = new WorkspaceValidation();
            v.workspaceId = match.workspaceId;
            v.nonce = validation.nonce;
            v.logGroup = event.logGroup != null ? event.logGroup : event.routingKey;
            v.routingKey = event.routingKey;
            v.eventId = event.eventId;
            v.sourceRef = event.sourceRef;
            v.verifiedAt = event.ingestTime > 0 ? event.ingestTime : ctx.now.getAsLong();
            v.workspace = owner;
            validations.inc();
            ctx.validations.accept(v);
        } else {
            fail(ctx, event, VALIDATION_MISMATCH, "validation line names workspace '" + validation.workspaceId
                    + "' but routing key '" + event.routingKey + "' belongs to workspace '" + match.workspaceId + "'",
                    match.workspaceId);
        }
    }

    private void fail(Sides ctx, LogEvent event, String reason, String detail, String workspaceId) {
        ctx.failures.accept(failure(event, reason, detail, workspaceId, ctx.now.getAsLong()));
    }

    private Failure failure(LogEvent event, String reason, String detail, String workspaceId, long now) {
        failures.inc(reason);
        byte[] raw = event.message == null ? null : event.message.getBytes(StandardCharsets.UTF_8);
        Failure f = Failure.ofPayload(FailureStage.ENRICH, reason, detail, event.source,
                event.sourceRef != null ? event.sourceRef : "event:" + event.eventId, raw, failureMaxRawBytes, now);
        f.workspaceId = workspaceId;
        f.record = EventRecords.toJson(event); // what `logflow replay` feeds through enrichment again
        return f;
    }

    private WorkspaceIndex index(ReadOnlyBroadcastState<String, Workspace> registrations) throws Exception {
        if (index == null) {
            List<Workspace> all = new ArrayList<>();
            for (Map.Entry<String, Workspace> e : registrations.immutableEntries()) {
                Workspace w = e.getValue();
                if (w.id != e.getKey() && w.id.equals(e.getKey())) {
                    w.id = e.getKey(); // restored key and id are equal but separate strings: keep one (100 K x 56 B)
                }
                all.add(w);
            }
            index = WorkspaceIndex.of(all);
            conflicts = index.conflictCount();
        }
        return index;
    }
}
