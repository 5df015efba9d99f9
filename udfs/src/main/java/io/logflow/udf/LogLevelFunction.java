package io.logflow.udf;

import io.logflow.model.Level;
import io.logflow.parse.Levels;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code LOG_LEVEL(text)}: a level name or number ({@code warning}, {@code 50}, {@code crit}) normalised to TRACE,
 * DEBUG, INFO, WARN, ERROR or FATAL; for longer text the level word among its first words, as the text parser sniffs
 * it ({@code 2024-06-15 12:00:00 ERROR boom} gives ERROR). NULL when none is found.
 */
public class LogLevelFunction extends ScalarFunction {
    private final int[] pos = new int[2];

    public String eval(String text) {
        if (text == null) {
            return null;
        }
        Level level = Levels.fromName(text);
        if (level == null) {
            level = Levels.sniff(text, 0, pos);
        }
        return level == null ? null : level.name();
    }
}
