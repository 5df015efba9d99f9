package io.logflow.pipeline;

import io.logflow.model.Failure;
import io.logflow.model.LogEvent;
import io.logflow.model.RawLog;
import io.logflow.model.UploadStatus;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Flink's keyed process operator running {@link ParseFunction}, plus what the function alone cannot do: when the input
 * ends (a bounded run, a stop with {@code --drain}), Flink drops pending processing-time timers, so each log stream's
 * buffered multi-line record would vanish with them. Here it is let out instead, as its timer would have.
 */
public class ParseOperator extends KeyedProcessOperator<String, List<RawLog>, LogEvent> implements BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private final ParseFunction function;

    public ParseOperator(ParseFunction function) {
        super(function);
        this.function = function;
    }

    @Override
    public void endInput() throws Exception {
        List<String> keys;
        try (Stream<String> all = this.<String>getKeyedStateBackend().getKeys(
                RecordsToEvents.JOIN_TIMER.getName(), VoidNamespace.INSTANCE)) {
            keys = all.collect(Collectors.toList());
        }
        RecordsToEvents.Output out = new RecordsToEvents.Output() {
            @Override
            public void event(LogEvent event) {
                output.collect(new StreamRecord<>(event));
            }

            @Override
            public void failure(Failure failure) {
                output.collect(Outputs.FAILURES, new StreamRecord<>(failure));
            }

            @Override
            public void upload(UploadStatus status) {
                output.collect(Outputs.UPLOADS, new StreamRecord<>(status));
            }
        };
        for (String key : keys) {
            setCurrentKey(key);
            function.finishAtEndOfInput(out);
        }
    }
}
