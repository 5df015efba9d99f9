package io.logflow.app;

import org.apache.flink.util.SerializedThrowable;

/** A failure as one line for the console: the root cause's class and the first line of its message. */
public final class Failures {
    private Failures() {}

    /** "ConnectException: Connection refused" for the deepest cause (the deepest one with a message, if any has). */
    public static String rootCause(Throwable failure) {
        Throwable root = failure;
        Throwable withMessage = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            root = t;
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                withMessage = t;
            }
        }
        Throwable shown = withMessage != null ? withMessage : root;
        String name = shown instanceof SerializedThrowable
                ? ((SerializedThrowable) shown).getOriginalErrorClassName()
                : shown.getClass().getName();
        name = name.substring(name.lastIndexOf('.') + 1);
        String message = shown.getMessage() == null ? "" : shown.getMessage().strip();
        if (shown instanceof SerializedThrowable) {
            // its message is the original's toString(): "java.lang.IllegalStateException: ..."
            String original = ((SerializedThrowable) shown).getOriginalErrorClassName();
            if (message.startsWith(original + ":")) {
                message = message.substring(original.length() + 1).strip();
            } else if (message.equals(original)) {
                message = "";
            }
        }
        int eol = message.indexOf('\n');
        message = eol < 0 ? message : message.substring(0, eol).strip();
        return message.isEmpty() ? name : name + ": " + message;
    }
}
