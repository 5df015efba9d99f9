package io.logflow.templates;

import io.logflow.model.LogEvent;
import io.logflow.pipeline.RoutingKey;
import io.logflow.pipeline.TemplateReport;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Adds the template step (uid {@value #UID}): every event gets its template id and text, and the templates go to the
 * {@code log_templates} sink as they are founded and change.
 */
public final class Templates {
    public static final String UID = "templates";

    private Templates() {}

    /** The events with their templates, and the template reports. */
    public static final class Result {
        public final SingleOutputStreamOperator<LogEvent> events;
        public final DataStream<TemplateReport> reports;

        Result(SingleOutputStreamOperator<LogEvent> events) {
            this.events = events;
            this.reports = events.getSideOutput(TemplateOperator.REPORTS);
        }
    }

    /**
     * For events that an operator keyed by {@link RoutingKey} just emitted (the enrichment): they are where their key
     * belongs already, so the step follows without an exchange.
     */
    public static Result ofPartitioned(DataStream<LogEvent> byRoutingKey, TemplateConfig config) {
        return apply(DataStreamUtils.reinterpretAsKeyedStream(byRoutingKey, new RoutingKey()), config);
    }

    /** For events in any partitioning (a job without enrichment): keyed by routing key first. */
    public static Result of(DataStream<LogEvent> events, TemplateConfig config) {
        return apply(events.keyBy(new RoutingKey()), config);
    }

    private static Result apply(KeyedStream<LogEvent, String> keyed, TemplateConfig config) {
        SingleOutputStreamOperator<LogEvent> mined = keyed
                .transform("Mine templates", TypeInformation.of(LogEvent.class),
                        new TemplateOperator(config.maxPerSource, config.cachedSources, config.idleTtl))
                .uid(UID)
                .name("Mine templates");
        return new Result(mined);
    }
}
