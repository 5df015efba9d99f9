package io.logflow.parse.format;

import io.logflow.model.LogEvent;
import io.logflow.parse.ParserOptions;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.HashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cheap checks auto-detection asks before trying a format must never turn down a line the format reads: they
 * only save the attempt on lines it would have failed anyway.
 */
class DetectionChecksTest {
    /** An access log line's parts in order, each with look-alikes and near misses. */
    private static final String[][] ACCESS_PARTS = {
        {"10.0.0.1", "-", "a[b", "", "2024-06-15", "x y"},
        {" "},
        {"-", "frank", "11:28:00,719", "[x"},
        {" ", "  ", ""},
        {"-", "bob", "INFO"},
        {" ", ""},
        {"[15/Jun/2024:11:53:02 +0000]", "-", "[main]", "[1/Jun/2024:11:53:02 +0000]", "[15/Jun", "[15-Jun", "x"},
        {" ", ""},
        {"\"GET /a HTTP/1.1\"", "-", "x", "\"GET"},
        {" "},
        {"200", "-", "20", "503"},
        {" ", ""},
        {"2326", "-", ""},
        {"", " \"https://example.com/\" \"Mozilla/5.0 (X11)\"", " 0.5", " rt=0.1", " - failed"}
    };

    @Property(tries = 5000)
    void looksLikeAccessHoldsForEveryLineTheAccessParserReads(@ForAll("accessShaped") String line) {
        LogEvent event = new LogEvent();
        event.fields = new HashMap<>();
        ParseContext ctx = new ParseContext(ParserOptions.defaults());
        ctx.reset(1_718_452_800_000L);
        if (!line.isEmpty() && new AccessLogFormat().parse(line, event, ctx)) {
            assertThat(AccessLogFormat.looksLikeAccess(line)).as(line).isTrue();
        }
    }

    @Provide
    Arbitrary<String> accessShaped() {
        Arbitrary<String> line = Arbitraries.just("");
        for (String[] part : ACCESS_PARTS) {
            // the well-formed part half of the time, so that many lines are access lines
            Arbitrary<String> choice = Arbitraries.oneOf(Arbitraries.just(part[0]), Arbitraries.of(part));
            line = line.flatMap(head -> choice.map(p -> head + p));
        }
        return line;
    }
}
