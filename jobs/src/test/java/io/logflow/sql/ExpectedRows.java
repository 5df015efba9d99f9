package io.logflow.sql;

import org.assertj.core.data.Offset;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rows as text, the same for Flink and JDBC results: cells joined by {@code " | "}, times as {@code yyyy-MM-dd
 * HH:mm:ss} (UTC), numbers without trailing zeros, NULL as {@code null}. An expected cell {@code ~x} matches a number
 * within 1% of x (the DDSketch percentiles); {@code *} matches anything (a wall-clock time), {@code +} anything
 * but NULL.
 */
final class ExpectedRows {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private ExpectedRows() {}

    static String row(Object... cells) {
        List<String> out = new ArrayList<>();
        for (Object c : cells) {
            out.add(cell(c));
        }
        return String.join(" | ", out);
    }

    static String cell(Object v) {
        if (v instanceof String s) {
            return s;
        } else if (v instanceof LocalDateTime t) {
            return TIME.format(t);
        } else if (v instanceof Instant t) {
            return TIME.format(t.atOffset(ZoneOffset.UTC));
        } else if (v instanceof OffsetDateTime t) {
            return TIME.format(t.withOffsetSameInstant(ZoneOffset.UTC));
        } else if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            return new BigDecimal(v.toString()).stripTrailingZeros().toPlainString();
        } else if (v instanceof Object[] a) {
            return Arrays.toString(a);
        }
        return String.valueOf(v);
    }

    static void assertRows(String what, List<String> actual, List<String> expected) {
        assertThat(actual).as(what + " rows, expected " + expected).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            String[] want = expected.get(i).split(" \\| ", -1);
            String[] got = actual.get(i).split(" \\| ", -1);
            String why = what + " row " + i + ": " + actual.get(i) + ", expected " + expected.get(i);
            assertThat(got).as(why).hasSize(want.length);
            for (int c = 0; c < want.length; c++) {
                if (want[c].startsWith("~")) {
                    double w = Double.parseDouble(want[c].substring(1));
                    assertThat(Double.parseDouble(got[c])).as(why + ", column " + c)
                            .isCloseTo(w, Offset.offset(Math.abs(w) * 0.01 + 1e-9));
                } else if (want[c].equals("+")) {
                    assertThat(got[c]).as(why + ", column " + c).isNotEqualTo("null");
                } else if (!want[c].equals("*")) {
                    assertThat(got[c]).as(why + ", column " + c).isEqualTo(want[c]);
                }
            }
        }
    }
}
