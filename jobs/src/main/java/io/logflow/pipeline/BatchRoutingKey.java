package io.logflow.pipeline;

import io.logflow.model.RawLog;
import io.logflow.model.Storable;
import org.apache.flink.api.java.functions.KeySelector;

import java.util.List;

/**
 * Keys batches of raw records by routing key, as {@link RoutingKey} keys the events parsed from them, so that the step
 * after the parse follows it without an exchange. Every record of a batch has the same key (a CloudWatch payload is one
 * log group's; other sources send one record at a time). The key is made storable as the parser makes the event's.
 */
public final class BatchRoutingKey implements KeySelector<List<RawLog>, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(List<RawLog> batch) {
        String key = batch.get(0).routingKey;
        return key == null ? "" : Storable.text(key);
    }
}
