package io.logflow.templates;

import io.logflow.model.LogEvent;
import io.logflow.parse.template.TemplateMatch;
import io.logflow.parse.template.TemplateMiner;
import io.logflow.parse.template.TemplateMinerSerializer;
import io.logflow.pipeline.TemplateReport;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gives every event with a message its template ({@link LogEvent#templateId}, {@link LogEvent#template}), mined per
 * routing key (a log group, an upload path) by a {@link TemplateMiner} kept in keyed state, so a restart, a restore
 * or a change of parallelism carries each source's templates and ids along with its key.
 *
 * <p>The miners a subtask works with stay on the heap between checkpoints, at most {@code cachedSources} of them
 * (least recently used leave first), and are written to the keyed state only when they changed: at each checkpoint,
 * and when they leave the cache. With RocksDB, reading and writing a whole miner per event would cost more than the
 * mining; this way a busy source costs one state write per checkpoint. The state of a source that sends nothing for
 * {@code idleTtl} expires (a source seen again starts anew; a template founded by the same line gets the same id).
 *
 * <p>Templates are reported on the {@link #REPORTS} side output when they are founded, when their text changes, about
 * once a minute of event time while lines keep matching them, and, for those matched since, before every checkpoint
 * barrier and at the end of a bounded input.
 */
public final class TemplateOperator extends AbstractStreamOperator<LogEvent>
        implements OneInputStreamOperator<LogEvent, LogEvent>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<TemplateReport> REPORTS =
            new OutputTag<>("template-reports", TypeInformation.of(TemplateReport.class));
    /** The workspace of reports for events the job did not enrich, as in the metrics tables. */
    static final String NO_WORKSPACE = "-";

    private final int maxTemplates;
    private final int cachedSources;
    private final Duration idleTtl;

    private transient ValueState<TemplateMiner> stored;
    /** Routing key to its miner, least recently used first. */
    private transient LinkedHashMap<String, Cached> cache;
    /** The routing key of the previous event and its miner. */
    private transient String lastKey;
    private transient Cached lastCached;
    /** Templates matched since their last report, by id, as their newest line left them. */
    private transient Map<String, TemplateReport> unreported;
    private transient Counter reported;

    /** A miner on the heap, and whether it learned since it was last written to the keyed state. */
    private static final class Cached {
        final TemplateMiner miner;
        boolean dirty;

        Cached(TemplateMiner miner) {
            this.miner = miner;
        }
    }

    public TemplateOperator(int maxTemplates, int cachedSources, Duration idleTtl) {
        this.maxTemplates = maxTemplates;
        this.cachedSources = cachedSources;
        this.idleTtl = idleTtl;
        // A custom operator is a chain's head unless it says otherwise; chained to the enrichment, an event is not
        // serialised once more between the two.
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    static ValueStateDescriptor<TemplateMiner> descriptor(Duration idleTtl) {
        ValueStateDescriptor<TemplateMiner> d =
                new ValueStateDescriptor<>("template-miner", TemplateMinerSerializer.INSTANCE);
        d.enableTimeToLive(StateTtlConfig.newBuilder(idleTtl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        return d;
    }

    @Override
    public void open() throws Exception {
        super.open();
        stored = getPartitionedState(descriptor(idleTtl));
        cache = new LinkedHashMap<>(64, 0.75f, true);
        unreported = new HashMap<>();
        reported = getMetricGroup().counter("templatesReported");
    }

    @Override
    public void processElement(StreamRecord<LogEvent> record) throws Exception {
        LogEvent event = record.getValue();
        if (event.message == null) { // a JSON line without a message has no template
            output.collect(record);
            return;
        }
        String key = (String) getCurrentKey();
        Cached cached = cached(key);
        TemplateMatch match = cached.miner.add(event.message, event.timestamp);
        cached.dirty = true;
        event.templateId = match.id;
        event.template = match.text;
        if (match.report) {
            unreported.remove(match.id);
            emit(fill(new TemplateReport(), event, match, key));
        } else {
            TemplateReport pending = unreported.get(match.id);
            if (pending == null) {
                unreported.put(match.id, fill(new TemplateReport(), event, match, key));
            } else {
                fill(pending, event, match, key);
            }
        }
        output.collect(record);
    }

    private Cached cached(String key) throws Exception {
        if (key.equals(lastKey)) { // events come in runs of one routing key (a payload, a file)
            return lastCached;
        }
        Cached cached = cache.get(key);
        if (cached == null) {
            cached = load(key);
        }
        lastKey = key;
        lastCached = cached;
        return cached;
    }

    private Cached load(String key) throws Exception {
        TemplateMiner miner = stored.value();
        Cached cached = new Cached(miner != null ? miner : new TemplateMiner(TemplateMiner.seedOf(key), maxTemplates));
        if (cache.size() >= cachedSources) {
            evictEldest(key);
        }
        cache.put(key, cached);
        return cached;
    }

    /** Writes the least recently used miner back (if it learned) and drops it from the heap. */
    private void evictEldest(String currentKey) throws Exception {
        Iterator<Map.Entry<String, Cached>> it = cache.entrySet().iterator();
        Map.Entry<String, Cached> eldest = it.next();
        it.remove();
        if (eldest.getKey().equals(lastKey)) {
            lastKey = null;
            lastCached = null;
        }
        if (eldest.getValue().dirty) {
            setCurrentKey(eldest.getKey());
            stored.update(eldest.getValue().miner); // it leaves the heap, so the state may keep this instance
            setCurrentKey(currentKey);
        }
    }

    /**
     * Before the state backend takes its snapshot: every miner that learned since the last one goes into the keyed
     * state, as a copy, because the heap backend snapshots asynchronously while this operator goes on mining.
     */
    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        Object current = getCurrentKey();
        boolean switched = false;
        for (Map.Entry<String, Cached> entry : cache.entrySet()) {
            Cached cached = entry.getValue();
            if (cached.dirty) {
                setCurrentKey(entry.getKey());
                switched = true;
                stored.update(TemplateMinerSerializer.INSTANCE.copy(cached.miner));
                cached.dirty = false;
            }
        }
        if (switched && current != null) {
            setCurrentKey(current);
        }
    }

    /**
     * Before each checkpoint barrier, and at the end of a bounded input: the counts and times of templates matched
     * since their last report, so {@code log_templates} is at most a checkpoint behind and a finished run complete.
     */
    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        emitUnreported();
    }

    @Override
    public void endInput() {
        emitUnreported();
    }

    private void emitUnreported() {
        for (TemplateReport r : unreported.values()) {
            emit(r);
        }
        unreported.clear();
    }

    private void emit(TemplateReport r) {
        reported.inc();
        output.collect(REPORTS, new StreamRecord<>(r));
    }

    private static TemplateReport fill(TemplateReport r, LogEvent event, TemplateMatch match, String routingKey) {
        r.workspaceId = event.workspaceId == null ? NO_WORKSPACE : event.workspaceId;
        r.templateId = match.id;
        r.template = match.text;
        r.firstSeen = match.firstSeen;
        r.lastSeen = match.lastSeen;
        r.events = match.count;
        r.example = match.example;
        r.routingKey = routingKey;
        return r;
    }
}
