package io.logflow.pipeline;

import io.logflow.model.LogEvent;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * Keys events by routing key (a missing key becomes "", which enrichment fails as {@code unknown_workspace}).
 * Enrichment and the template step key by it, so the second can follow the first without an exchange.
 */
public final class RoutingKey implements KeySelector<LogEvent, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(LogEvent event) {
        return event.routingKey == null ? "" : event.routingKey;
    }
}
