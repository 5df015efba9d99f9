package io.logflow.enrich;

import io.logflow.model.LogEvent;
import io.logflow.pipeline.Outputs;
import io.logflow.workspace.Workspace;
import io.logflow.workspace.WorkspaceChange;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Flink's keyed-broadcast operator running an {@link EnrichingFunction}, plus what the function alone cannot do: at the
 * end of the input (a bounded run: a folder read once, a registrations file; a stop with {@code --drain}) Flink drops
 * pending processing-time timers, so what they would have let out would vanish. When the keyed input ends, the
 * function finishes each key's own work (the multi-line join's buffered records); when both inputs have ended, the
 * events still waiting for a registration become {@code unknown_workspace} failures.
 *
 * @param <IN> what the keyed input carries
 */
public class EnrichOperator<IN> extends CoBroadcastWithKeyedOperator<String, IN, WorkspaceChange, LogEvent>
        implements BoundedMultiInput {
    private static final long serialVersionUID = 1L;

    private final EnrichingFunction<IN> function;
    private transient int endedInputs;

    public EnrichOperator(EnrichingFunction<IN> function) {
        super(function, List.of(EnrichingFunction.REGISTRATIONS));
        this.function = function;
    }

    @Override
    public void endInput(int inputId) throws Exception {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        if (inputId == 1 && function.stateToFinishAtEndOfRecords() != null) {
            EndOfInputScope scope = new EndOfInputScope(now);
            Collector<LogEvent> events = new Collector<>() {
                @Override
                public void collect(LogEvent event) {
                    output.collect(new StreamRecord<>(event));
                }

                @Override
                public void close() {}
            };
            for (String key : keysOf(function.stateToFinishAtEndOfRecords().getName())) {
                setCurrentKey(key);
                function.finishAtEndOfRecords(scope, events);
            }
        }
        if (++endedInputs < 2) {
            return;
        }
        // Every key with buffered events has a timer entry (a released key may have only that): walk those.
        for (String key : keysOf(EnrichingFunction.TIMER.getName())) {
            setCurrentKey(key);
            function.failBufferedAtEndOfInput(key, f -> output.collect(Outputs.FAILURES, new StreamRecord<>(f)), now);
        }
    }

    private List<String> keysOf(String state) {
        try (Stream<String> keys = this.<String>getKeyedStateBackend().getKeys(state, VoidNamespace.INSTANCE)) {
            return keys.collect(Collectors.toList());
        }
    }

    /** The operator's own outputs, state and timers, for work done outside any call of the function. */
    private final class EndOfInputScope extends EnrichingFunction.Scope {
        private final TimerService timers;

        EndOfInputScope(long now) {
            sides = new EnrichingFunction.Sides(f -> output.collect(Outputs.FAILURES, new StreamRecord<>(f)),
                    v -> output.collect(EnrichingFunction.VALIDATIONS, new StreamRecord<>(v)), () -> now);
            // the timer service Flink's operator gives the function: same name, so the same timers
            timers = new SimpleTimerService(getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE,
                    EnrichOperator.this));
        }

        @Override
        String key() {
            return (String) getCurrentKey();
        }

        @Override
        ReadOnlyBroadcastState<String, Workspace> registrations() throws Exception {
            return getOperatorStateBackend().getBroadcastState(EnrichingFunction.REGISTRATIONS);
        }

        @Override
        TimerService timers() {
            return timers;
        }
    }
}
