package io.logflow.model;

/** Where a record entered logflow. */
public enum SourceKind {
    /** A CloudWatch Logs subscription payload read from Kinesis (or delivered by Firehose). */
    CLOUDWATCH,
    /** A line of an uploaded file (S3 or a local folder). */
    UPLOAD,
    /** A JSON object a producer wrote to the direct-ingest Kafka topic. */
    KAFKA
}
