package io.logflow.model;

/** The pipeline stage at which a record was given up on. */
public enum FailureStage {
    /** Reading the source: unreadable file, truncated archive, oversize line. */
    SOURCE,
    /** Decoding a payload: gunzip, CloudWatch envelope, Kafka batch. */
    DECODE,
    /** Turning a line into a structured event. */
    PARSE,
    /** Finding the event's workspace. */
    ENRICH,
    /** Writing to a sink. */
    SINK
}
