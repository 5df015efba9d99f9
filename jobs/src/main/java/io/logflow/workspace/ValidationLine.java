package io.logflow.workspace;

import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line a workspace's setup writes into one of its log groups (or uploads under one of its prefixes) to prove that
 * logflow receives them:
 *
 * <pre>
 *   logflow-validation workspace=&lt;id&gt; nonce=&lt;random&gt;
 * </pre>
 *
 * {@code id} is the workspace id, {@code nonce} 8-128 characters of {@code A-Z a-z 0-9 _ -} (
 * {@link #newNonce()} makes 22). The line may carry a prefix (a timestamp, a logger name): it is found anywhere in the
 * event's message, at a word start. Such a line is never stored as an ordinary event.
 */
public final class ValidationLine {
    public static final String MARKER = "logflow-validation";
    private static final Pattern LINE = Pattern.compile(
            "(?:^|\\s)" + MARKER + "\\s+workspace=(\\S+)\\s+nonce=([A-Za-z0-9_-]{8,128})(?:\\s|$)");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".toCharArray();

    public final String workspaceId;
    public final String nonce;

    private ValidationLine(String workspaceId, String nonce) {
        this.workspaceId = workspaceId;
        this.nonce = nonce;
    }

    /** The validation line in {@code message}, or null when it holds none. */
    public static ValidationLine find(String message) {
        if (message == null || !message.contains(MARKER)) {
            return null;
        }
        Matcher m = LINE.matcher(message);
        return m.find() ? new ValidationLine(m.group(1), m.group(2)) : null;
    }

    public static String format(String workspaceId, String nonce) {
        return MARKER + " workspace=" + workspaceId + " nonce=" + nonce;
    }

    /** 22 random characters (132 bits). */
    public static String newNonce() {
        char[] out = new char[22];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    @Override
    public String toString() {
        return format(workspaceId, nonce);
    }
}
