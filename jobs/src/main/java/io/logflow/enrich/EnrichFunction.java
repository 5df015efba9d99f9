package io.logflow.enrich;

import io.logflow.model.LogEvent;
import org.apache.flink.util.Collector;

/**
 * The enrichment of parsed events ({@link EnrichingFunction}): for {@code logflow replay}, whose events failed
 * enrichment once and enter it again. The job enriches raw records as it parses them ({@link ParseAndEnrichFunction}).
 */
public class EnrichFunction extends EnrichingFunction<LogEvent> {
    private static final long serialVersionUID = 1L;

    public EnrichFunction(int bufferMaxEvents, long bufferTimeoutMillis, int failureMaxRawBytes) {
        super(bufferMaxEvents, bufferTimeoutMillis, failureMaxRawBytes);
    }

    @Override
    public void processElement(LogEvent event, ReadOnlyContext ctx, Collector<LogEvent> out) throws Exception {
        enrich(event, scope(ctx), out);
    }
}
