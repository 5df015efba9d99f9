package io.logflow.model;

/**
 * Control records a file source sends around each file, in the record stream itself so they stay in order with the
 * file's lines. They are not log records: the parse step turns them into upload status rows and nothing else.
 */
public enum Marker {
    /** The reader opened the file; {@link RawLog#fileBytes} holds its size. */
    FILE_START,
    /**
     * The reader is done with the file; {@link RawLog#line} holds how many records it read from it, and {@link
     * RawLog#error} the reason when a problem stopped it early.
     */
    FILE_END,
    /**
     * A CloudWatch CONTROL_MESSAGE found in a file (Firehose delivers them too): dropped on purpose, and counted as a
     * skipped record of its file so the file's counts still add up.
     */
    CLOUDWATCH_CONTROL
}
