package io.logflow.bench.sink;

import io.logflow.bench.Corpus;
import io.logflow.model.EventIds;
import io.logflow.model.LogEvent;
import io.logflow.parse.ParseOutcome;
import io.logflow.model.RawLog;
import io.logflow.model.SourceKind;
import io.logflow.parse.LogParser;
import io.logflow.bench.pipeline.Tally;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * Enriched log events as the sinks receive them: the parser's output for the mixed corpus (so messages, levels and
 * {@code fields} maps are the real ones), event {@code n} being template {@code n % 2000} with an id, source
 * reference, workspace and times of its own. The sink runs and their raw baselines both draw from {@link #event}.
 */
public final class BenchEvents {
    private static final long START = 1_790_000_000_000L;
    private static final LogEvent[] TEMPLATES = templates();

    private BenchEvents() {}

    private static LogEvent[] templates() {
        LogParser parser = new LogParser();
        String[] lines = Corpus.lines("mixed");
        List<LogEvent> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            ParseOutcome outcome = parser.parse(RawLog.fileLine("s3://bench/app.log", null, i + 1, lines[i], START));
            if (outcome.event != null) {
                out.add(outcome.event);
            }
        }
        return out.toArray(new LogEvent[0]);
    }

    /** Event {@code n} of run {@code run}: ids differ between runs, so every run writes new rows. */
    public static LogEvent event(int run, long n) {
        LogEvent t = TEMPLATES[(int) (n % TEMPLATES.length)];
        LogEvent e = new LogEvent();
        e.eventId = EventIds.of("bench", Integer.toString(run), Long.toString(n));
        e.workspaceId = "tenant-" + (n % 40);
        e.timestamp = START + n;
        e.ingestTime = START + n + 150;
        e.level = t.level;
        e.service = t.service;
        e.logGroup = "/ecs/tenant-" + (n % 40) + "/api";
        e.logStream = t.logStream;
        e.message = t.message;
        e.traceId = t.traceId;
        e.spanId = t.spanId;
        e.requestId = t.requestId;
        e.durationMs = t.durationMs;
        e.fields = t.fields == null ? null : new HashMap<>(t.fields);
        e.format = t.format;
        e.source = SourceKind.UPLOAD;
        e.sourceRef = "s3://bench/run-" + run + "/app.log#L" + n;
        e.routingKey = "tenant-" + (n % 40) + "/";
        return e;
    }

    /** Events {@code 0..count-1} of {@code run}, built before a timed run so that building them is not timed. */
    public static LogEvent[] events(int run, int count) {
        LogEvent[] out = new LogEvent[count];
        for (int n = 0; n < count; n++) {
            out[n] = event(run, n);
        }
        return out;
    }

    /**
     * {@code count} events of {@code run} from a generator source that builds them all when it opens and marks
     * {@link Tally#started} on the first it hands out.
     */
    public static DataStream<LogEvent> stream(StreamExecutionEnvironment env, int run, int count) {
        TypeInformation<LogEvent> type = TypeInformation.of(LogEvent.class);
        return env.fromSource(new DataGeneratorSource<>(new Generator(run, count), count, RateLimiterStrategy.noOp(),
                        type),
                        WatermarkStrategy.noWatermarks(), "Bench events", type)
                .uid("bench-events")
                .name("Bench events");
    }

    private static final class Generator implements GeneratorFunction<Long, LogEvent> {
        private static final long serialVersionUID = 1L;
        private final int run;
        private final int count;
        private transient LogEvent[] events;

        Generator(int run, int count) {
            this.run = run;
            this.count = count;
        }

        @Override
        public void open(SourceReaderContext readerContext) {
            events = events(run, count);
        }

        @Override
        public LogEvent map(Long n) {
            Tally.started();
            return events[(int) (long) n];
        }
    }
}
