package io.logflow.pipeline;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import java.util.HashMap;
import java.util.Map;

/** One Flink counter per reason code under a metric group, created on first use (reasons are a small, fixed set). */
public final class ReasonCounters {
    private final MetricGroup group;
    private final Map<String, Counter> counters = new HashMap<>();

    public ReasonCounters(MetricGroup group) {
        this.group = group;
    }

    public void inc(String reason) {
        counters.computeIfAbsent(reason, group::counter).inc();
    }
}
