package io.logflow.parse;

import io.logflow.model.Level;

/** Level names and numbers as log libraries write them, normalised. */
public final class Levels {
    private Levels() {}

    /** A level name in any case ({@code warning}, {@code ERR}, {@code crit}...), or null if it is none. */
    public static Level fromName(String name) {
        if (name == null) {
            return null;
        }
        switch (name.trim().toUpperCase(java.util.Locale.ROOT)) {
            case "TRACE":
            case "FINEST":
                return Level.TRACE;
            case "DEBUG":
            case "FINE":
            case "FINER":
                return Level.DEBUG;
            case "INFO":
            case "INFORMATION":
            case "NOTICE":
                return Level.INFO;
            case "WARN":
            case "WARNING":
                return Level.WARN;
            case "ERROR":
            case "ERR":
            case "SEVERE":
                return Level.ERROR;
            case "FATAL":
            case "CRITICAL":
            case "CRIT":
            case "ALERT":
            case "EMERG":
            case "EMERGENCY":
            case "PANIC":
                return Level.FATAL;
            default:
                return null;
        }
    }

    /** pino / bunyan numeric levels: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
    public static Level fromNumber(int n) {
        if (n >= 60) {
            return Level.FATAL;
        } else if (n >= 50) {
            return Level.ERROR;
        } else if (n >= 40) {
            return Level.WARN;
        } else if (n >= 30) {
            return Level.INFO;
        } else if (n >= 20) {
            return Level.DEBUG;
        }
        return Level.TRACE;
    }
}
