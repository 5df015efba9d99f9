package io.logflow.enrich;

import io.logflow.model.LogEvent;
import io.logflow.pipeline.Outputs;
import io.logflow.workspace.WorkspaceChange;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Flink's keyed-broadcast operator running {@link EnrichFunction}, plus one thing the function alone cannot do: when
 * both inputs have ended (a bounded run: a folder read once, a registrations file), Flink drops pending
 * processing-time timers, so the events still waiting for a registration would vanish. Here they become
 * {@code unknown_workspace} failures instead.
 */
public class EnrichOperator extends CoBroadcastWithKeyedOperator<String, LogEvent, WorkspaceChange, LogEvent>
        implements BoundedMultiInput {
    private static final long serialVersionUID = 1L;

    private final EnrichFunction function;
    private transient int endedInputs;

    public EnrichOperator(EnrichFunction function) {
        super(function, List.of(EnrichFunction.REGISTRATIONS));
        this.function = function;
    }

    @Override
    public void endInput(int inputId) throws Exception {
        if (++endedInputs < 2) {
            return;
        }
        // Every key with buffered events has a timer entry (a released key may have only that): walk those.
        List<String> keys;
        try (Stream<String> stream = this.<String>getKeyedStateBackend().getKeys(EnrichFunction.TIMER.getName(),
                VoidNamespace.INSTANCE)) {
            keys = stream.collect(Collectors.toList());
        }
        long now = getProcessingTimeService().getCurrentProcessingTime();
        for (String key : keys) {
            setCurrentKey(key);
            function.failBufferedAtEndOfInput(key, f -> output.collect(Outputs.FAILURES, new StreamRecord<>(f)), now);
        }
    }
}
