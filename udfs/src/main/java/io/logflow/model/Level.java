package io.logflow.model;

/** Normalised log levels, from least to most severe. */
public enum Level {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR,
    FATAL;

    /** ERROR and FATAL count as errors in the metrics. */
    public boolean isError() {
        return this == ERROR || this == FATAL;
    }
}
