package io.logflow.workspace;

/** A registration that cannot be accepted; the message is one line saying which field and why. */
public class InvalidWorkspaceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidWorkspaceException(String message) {
        super(message);
    }
}
