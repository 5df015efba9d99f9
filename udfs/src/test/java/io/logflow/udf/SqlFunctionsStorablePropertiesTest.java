package io.logflow.udf;

import io.logflow.model.Storable;
import io.logflow.parse.HostileLines;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.flink.types.Row;

import java.util.Map;

import static io.logflow.parse.HostileLines.escape;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PARSE_LOG, LOG_TEMPLATE, REDACT and LOG_LEVEL return storable strings for any input: the job's metrics SQL writes
 * LOG_TEMPLATE's text and messages into PostgreSQL.
 */
class SqlFunctionsStorablePropertiesTest {
    private final ParseLogFunction parseLog = new ParseLogFunction();
    private final LogTemplateFunction logTemplate = new LogTemplateFunction();
    private final RedactFunction redact = new RedactFunction();
    private final LogLevelFunction logLevel = new LogLevelFunction();

    @Property(tries = 800)
    void everyFunctionReturnsStorableText(@ForAll("lines") HostileLines.Line line) {
        checkAll(line.text, line.kind, line.logGroup);
    }

    @Property(tries = 3)
    void oneMegabyteInputsGiveStorableText(@ForAll("hugeLines") HostileLines.Line line) {
        checkAll(line.text, line.kind, line.path);
    }

    @Example
    void noCutOfALongTokenOrMessageLeavesHalfASurrogatePair() {
        String emoji = "\uD83D\uDE00";
        String[] messages = {
            "token " + "a" + emoji.repeat(200) + " end", // a token longer than the miner keeps
            "q \"" + "b" + emoji.repeat(600) + "\" end", // a quoted string longer than the masker scans
            String.join(" ", java.util.Collections.nCopies(100, "w" + emoji)), // more tokens than the miner keeps
            "half \uD83D and \uDE00 " + emoji + " key=\uD800 (\uDC00)",
        };
        for (String m : messages) {
            Row t = logTemplate.eval(m);
            assertStorable("template of " + escape(m), (String) t.getField(1));
            assertStorable("template id of " + escape(m), (String) t.getField(0));
        }
    }

    @Provide
    Arbitrary<HostileLines.Line> lines() {
        return HostileLines.lines();
    }

    @Provide
    Arbitrary<HostileLines.Line> hugeLines() {
        return HostileLines.hugeLines(1 << 20);
    }

    private void checkAll(String text, String format, String scope) {
        checkRow("PARSE_LOG", parseLog.eval(text));
        checkRow("PARSE_LOG with format", parseLog.eval(text, format));
        checkRow("LOG_TEMPLATE", logTemplate.eval(text));
        checkRow("LOG_TEMPLATE with scope", logTemplate.eval(text, scope));
        assertStorable("REDACT", redact.eval(text));
        assertStorable("LOG_LEVEL", logLevel.eval(text));
    }

    private static void checkRow(String function, Row row) {
        if (row == null) {
            return;
        }
        for (int i = 0; i < row.getArity(); i++) {
            Object value = row.getField(i);
            if (value instanceof String) {
                assertStorable(function + " column " + i, (String) value);
            } else if (value instanceof Map) {
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    assertStorable(function + " field key", (String) e.getKey());
                    assertStorable(function + " field value", (String) e.getValue());
                }
            }
        }
        assertThat(row.getArity()).isPositive();
    }

    private static void assertStorable(String what, String s) {
        if (!Storable.isStorable(s)) {
            throw new AssertionError(what + " is not storable: " + escape(s));
        }
    }
}
