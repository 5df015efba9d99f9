package io.logflow.metrics;

import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.model.Storable;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

/**
 * Turns events into the rows {@code sql/flink/metrics.sql} aggregates, and leaves out (counting them in
 * {@code lateEvents}) those whose minute has already closed: the window operators would drop them silently.
 * Late events are still stored by the event sinks; only the aggregates miss them.
 */
public class MetricsInput extends ProcessFunction<LogEvent, Row> {
    private static final long serialVersionUID = 1L;
    static final String MISSING = "-";
    private static final long MINUTE_MS = 60_000;

    /** The columns of the {@code log_stream} view, in order; its event time comes from the record's timestamp. */
    public static final TypeInformation<Row> ROW_TYPE = Types.ROW_NAMED(
            new String[] {"workspace_id", "service", "level", "message", "bytes", "duration_ms", "template_id",
                "template"},
            Types.STRING, Types.STRING, Types.STRING, Types.STRING, Types.LONG, Types.DOUBLE, Types.STRING,
            Types.STRING);

    transient Counter lateEvents;

    @Override
    public void open(OpenContext context) {
        lateEvents = getRuntimeContext().getMetricGroup().counter("lateEvents");
    }

    @Override
    public void processElement(LogEvent event, Context context, Collector<Row> out) {
        long minuteEnd = Math.floorDiv(event.timestamp, MINUTE_MS) * MINUTE_MS + MINUTE_MS;
        // A window fires once the watermark reaches its last millisecond; anything for it after that is late.
        if (minuteEnd - 1 <= context.timerService().currentWatermark()) {
            lateEvents.inc();
            return;
        }
        out.collect(Row.of(
                workspace(event),
                service(event),
                (event.level == null ? Level.INFO : event.level).name(),
                event.message,
                (long) Storable.utf8Length(event.message),
                event.durationMs,
                event.templateId,
                event.template));
    }

    static String workspace(LogEvent event) {
        return event.workspaceId == null ? MISSING : event.workspaceId;
    }

    /** The service, else the CloudWatch log group: what a dashboard groups a tenant's volume by. */
    static String service(LogEvent event) {
        if (event.service != null && !event.service.isEmpty()) {
            return event.service;
        }
        return event.logGroup != null && !event.logGroup.isEmpty() ? event.logGroup : MISSING;
    }

}
