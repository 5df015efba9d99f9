package io.logflow.templates;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;
import java.util.List;

/** Options of the job's template step ({@link TemplateOperator}). */
public final class TemplateOptions {
    private TemplateOptions() {}

    public static final ConfigOption<Integer> MAX_PER_SOURCE = ConfigOptions.key("templates.max-per-source")
            .intType()
            .defaultValue(1_000)
            .withDescription("Templates kept per routing key (log group or upload path); past it, the template "
                    + "matched least recently is forgotten. Its lines then found a new template, with the same id "
                    + "when the same line founds it.");

    public static final ConfigOption<Integer> CACHED_SOURCES = ConfigOptions.key("templates.cached-sources")
            .intType()
            .defaultValue(1_000)
            .withDescription("Routing keys whose templates a parallel instance keeps on the heap between "
                    + "checkpoints; the least recently used go back to the state backend. Heap use is at most about "
                    + "this times templates.max-per-source times the size of a template.");

    public static final ConfigOption<Duration> IDLE_TTL = ConfigOptions.key("templates.idle-ttl")
            .durationType()
            .defaultValue(Duration.ofDays(30))
            .withDescription("The templates of a routing key that sends nothing for this long are dropped from "
                    + "the state, so the state holds the sources that are alive, not every one ever seen.");

    public static List<ConfigOption<?>> all() {
        return List.of(MAX_PER_SOURCE, CACHED_SOURCES, IDLE_TTL);
    }
}
