package io.logflow.udf;

import io.logflow.parse.Timestamps;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

import java.time.Instant;

/**
 * {@code PARSE_TS(text)}: a timestamp as logs write it (ISO-8601 with or without offset, {@code 2024-06-15
 * 12:00:00,123}, Apache {@code 10/Oct/2000:13:55:36 -0700}, syslog {@code Oct 11 22:14:15} in the current or last
 * year, epoch s/ms/µs/ns) as a {@code TIMESTAMP_LTZ(3)}; NULL when it is none.
 */
public class ParseTsFunction extends ScalarFunction {

    public @DataTypeHint("TIMESTAMP_LTZ(3)") Instant eval(String text) {
        if (text == null) {
            return null;
        }
        long ms = Timestamps.parse(text, System.currentTimeMillis());
        return ms == Timestamps.NONE ? null : Instant.ofEpochMilli(ms);
    }
}
