package io.logflow.source.kinesis;

import io.logflow.model.RawLog;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Hands on the CloudWatch events that a savepoint of the version before the one exchange holds in its multi-line
 * joiner (operator {@code cloudwatch-multiline}, keyed by log stream), so that an upgrade loses none. It takes no
 * records: right after the restore, a timer per stream hands each held event on to the job's one step after the
 * exchange (which may join it again with what follows on its stream); then the state is gone.
 * A job started without such a savepoint has nothing here. Remove it with the next change that needs a restore with
 * {@code --allowNonRestoredState} anyway.
 */
final class EarlierJoinerState extends KeyedProcessFunction<String, List<RawLog>, List<RawLog>> {
    private static final long serialVersionUID = 1L;

    /** The earlier joiner's state, as it wrote it. */
    static final ValueStateDescriptor<RawLog> BUFFERED =
            new ValueStateDescriptor<>("buffered-event", TypeInformation.of(RawLog.class));
    private static final ValueStateDescriptor<Long> TIMER = new ValueStateDescriptor<>("flush-timer", Types.LONG);

    private transient ValueState<RawLog> buffered;
    private transient ValueState<Long> timer;
    private transient Counter restored;

    /** The earlier joiner's key: the log stream. */
    static final class LogStreamKey implements KeySelector<List<RawLog>, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(List<RawLog> batch) {
            RawLog raw = batch.get(0);
            return raw.owner + '/' + raw.logGroup + '/' + raw.logStream;
        }
    }

    @Override
    public void open(Configuration parameters) {
        buffered = getRuntimeContext().getState(BUFFERED);
        timer = getRuntimeContext().getState(TIMER);
        restored = getRuntimeContext().getMetricGroup().addGroup("cloudwatch").counter("heldEventsRestored");
    }

    @Override
    public void processElement(List<RawLog> batch, Context ctx, Collector<List<RawLog>> out) {
        throw new IllegalStateException("takes no records, only the state of an earlier version's savepoint");
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<List<RawLog>> out) throws Exception {
        handOn(out::collect);
    }

    private void handOn(Consumer<List<RawLog>> out) throws Exception {
        RawLog held = buffered.value();
        if (held != null) {
            restored.inc();
            out.accept(List.of(held));
        }
        buffered.clear();
        timer.clear();
    }

    /**
     * The operator: sets the timers that hand the held events on (the earlier joiner's own may be as far off as its
     * flush timeout), and hands on what is left when the input ends, when Flink drops the timers.
     */
    static final class Operator extends KeyedProcessOperator<String, List<RawLog>, List<RawLog>>
            implements BoundedOneInput {
        private static final long serialVersionUID = 1L;
        private final EarlierJoinerState function;

        Operator(EarlierJoinerState function) {
            super(function);
            this.function = function;
        }

        @Override
        public void open() throws Exception {
            super.open();
            // the timer service KeyedProcessOperator gives its function: same name, so the same timers
            InternalTimerService<VoidNamespace> timers =
                    getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this);
            long now = getProcessingTimeService().getCurrentProcessingTime();
            for (String stream : heldStreams()) {
                setCurrentKey(stream);
                timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, now);
            }
        }

        @Override
        public void endInput() throws Exception {
            for (String stream : heldStreams()) {
                setCurrentKey(stream);
                function.handOn(batch -> output.collect(new StreamRecord<>(batch)));
            }
        }

        private List<String> heldStreams() throws Exception {
            try (Stream<String> keys = this.<String>getKeyedStateBackend().getKeys(BUFFERED.getName(),
                    VoidNamespace.INSTANCE)) {
                return keys.collect(Collectors.toList());
            }
        }
    }
}
