package io.logflow.app;

/** The job ran and failed for good (its restarts used up). The message is one line with the root cause. */
public class JobFailedException extends RuntimeException {
    public JobFailedException(String message) {
        super(message);
    }
}
