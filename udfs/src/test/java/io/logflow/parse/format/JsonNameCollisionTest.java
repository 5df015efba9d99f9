package io.logflow.parse.format;

import io.logflow.model.RawLog;
import io.logflow.parse.LogParser;
import io.logflow.parse.ParseOutcome;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One tenant's JSON field names crafted to collide in Jackson's shared name table change nothing for anyone: its own
 * lines are events, and every other tenant's lines read afterwards through the same parser are too.
 */
class JsonNameCollisionTest {
    private static final long RECEIVED = 1_718_452_800_000L;

    @Test
    void collidingFieldNamesFailNeitherTheirLineNorOtherTenantsLines() {
        LogParser parser = new LogParser(); // one subtask's parser serves many tenants
        String crafted = collidingObject(8); // 256 names of one hash
        List<String> failures = new ArrayList<>();
        List<ParseOutcome> crafts = new ArrayList<>();
        Random random = new Random(1);
        for (int i = 0; i < 6_000; i++) {
            if (i % 500 == 0) {
                crafts.add(parser.parse(RawLog.fileLine("s3://crafted/x.log", null, i, crafted, RECEIVED)));
            }
            // another tenant's ordinary lines, with field names the table has not seen yet
            String line = "{\"msg\":\"ok\",\"k" + random.nextInt(1_000_000) + "\":1,\""
                    + Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + "\":2}";
            ParseOutcome other = parser.parse(RawLog.fileLine("s3://other/y.log", null, i, line, RECEIVED));
            if (other.kind != ParseOutcome.Kind.EVENT) {
                failures.add(other.reason + ": " + other.detail);
            }
        }
        assertThat(failures).as("other tenants' lines").isEmpty();
        for (ParseOutcome own : crafts) {
            assertThat(own.kind).as("the crafted line itself: %s", own.detail).isEqualTo(ParseOutcome.Kind.EVENT);
            assertThat(own.event.fields.keySet().stream().filter(k -> k.matches("(AB|B!){8}"))).hasSize(256);
        }
    }

    /** An object whose field names all have the same hash: every concatenation of k blocks "B!" or "AB". */
    private static String collidingObject(int k) {
        StringBuilder json = new StringBuilder("{\"msg\":\"crafted\"");
        for (int m = 0; m < (1 << k); m++) {
            json.append(",\"");
            for (int b = 0; b < k; b++) {
                json.append(((m >> b) & 1) == 0 ? "B!" : "AB");
            }
            json.append("\":1");
        }
        return json.append('}').toString();
    }
}
