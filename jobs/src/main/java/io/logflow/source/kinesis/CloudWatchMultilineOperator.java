package io.logflow.source.kinesis;

import io.logflow.model.RawLog;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Flink's keyed process operator running {@link CloudWatchMultilineFunction}, plus what the function alone cannot do:
 * when the input ends (a bounded run, a stop with {@code --drain}), Flink drops pending processing-time timers, so each
 * stream's buffered record would vanish with them. Here it is handed on instead, as its timer would have.
 */
public class CloudWatchMultilineOperator extends KeyedProcessOperator<String, List<RawLog>, RawLog>
        implements BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private final CloudWatchMultilineFunction function;

    public CloudWatchMultilineOperator(CloudWatchMultilineFunction function) {
        super(function);
        this.function = function;
    }

    @Override
    public void endInput() throws Exception {
        List<String> streams;
        try (Stream<String> keys = this.<String>getKeyedStateBackend().getKeys(
                CloudWatchMultilineFunction.BUFFERED.getName(), VoidNamespace.INSTANCE)) {
            streams = keys.collect(Collectors.toList());
        }
        for (String stream : streams) {
            setCurrentKey(stream);
            function.flushAtEndOfInput(record -> output.collect(new StreamRecord<>(record)));
        }
    }
}
