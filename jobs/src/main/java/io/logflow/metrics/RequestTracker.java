package io.logflow.metrics;

import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.regex.Pattern;

/**
 * Follows each request (keyed by workspace and request id) in event time and emits its outcome once: when its
 * completion event arrives, or at {@code requests.timeout} after its start. It failed if it logged an ERROR or
 * FATAL before that, or never completed. The state is kept until the timeout, so later events of a decided request
 * do not open a new one; after it they would.
 */
public class RequestTracker extends KeyedProcessFunction<String, LogEvent, RequestOutcome> {
    private static final long serialVersionUID = 1L;

    private final long timeoutMs;
    private final Pattern startPattern;
    private final Pattern completionPattern;
    private transient ValueState<RequestOutcome> request;

    public RequestTracker(MetricsConfig config) {
        this.timeoutMs = config.requestTimeout.toMillis();
        this.startPattern = config.requestStart;
        this.completionPattern = config.requestCompletion;
    }

    /** The key: only events with a request id are tracked. */
    public static String key(LogEvent event) {
        return MetricsInput.workspace(event) + '\u001f' + event.requestId;
    }

    public static boolean hasRequest(LogEvent event) {
        return event.requestId != null && !event.requestId.isEmpty();
    }

    @Override
    public void open(OpenContext context) {
        request = getRuntimeContext().getState(
                new ValueStateDescriptor<>("request", TypeInformation.of(RequestOutcome.class)));
    }

    @Override
    public void processElement(LogEvent event, Context context, Collector<RequestOutcome> out) throws Exception {
        RequestOutcome r = request.value();
        if (r == null) {
            r = new RequestOutcome();
            r.workspaceId = MetricsInput.workspace(event);
            r.requestId = event.requestId;
            r.service = MetricsInput.service(event);
            r.startedAt = event.timestamp;
            context.timerService().registerEventTimeTimer(deadline(r));
        } else if (r.decided) {
            return;
        }
        boolean isStart = startPattern == null || find(startPattern, event.message);
        boolean earlier = event.timestamp < r.startedAt;
        if (isStart && (!r.started || earlier)) {
            moveStart(r, event.timestamp, context);
            r.started = true;
            r.firstMessage = event.message;
        } else if (!r.started && earlier) {
            moveStart(r, event.timestamp, context);
            r.firstMessage = event.message;
        } else if (r.firstMessage == null) {
            r.firstMessage = event.message;
        }
        r.events++;
        if (r.errorMessage == null && (event.level == Level.ERROR || event.level == Level.FATAL)) {
            r.errorMessage = event.message;
        }
        if (completionPattern == null ? event.durationMs != null : find(completionPattern, event.message)) {
            r.completed = true;
            if (event.durationMs != null) {
                r.durationMs = event.durationMs;
            }
        }
        if (r.completed && r.started) {
            r.decided = true;
            out.collect(r);
        }
        request.update(r);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<RequestOutcome> out) throws Exception {
        RequestOutcome r = request.value();
        if (r != null && !r.decided && r.started) {
            out.collect(r);
        }
        request.clear();
    }

    private void moveStart(RequestOutcome r, long startedAt, Context context) {
        context.timerService().deleteEventTimeTimer(deadline(r));
        r.startedAt = startedAt;
        context.timerService().registerEventTimeTimer(deadline(r));
    }

    private long deadline(RequestOutcome r) {
        return r.startedAt + timeoutMs;
    }

    private static boolean find(Pattern pattern, String message) {
        return message != null && pattern.matcher(message).find();
    }
}
