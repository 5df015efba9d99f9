package io.logflow.testing;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

import java.util.Random;

/**
 * Text of every kind that breaks a store, for property tests that write strings: NUL, the literal text of its JSON
 * escape, lone surrogates, noncharacters, control and bidi characters, emoji, COPY's own escapes, null, and now and
 * then a 1 MB value. Deliberately not sanitised.
 */
public final class HostileText {
    private HostileText() {}

    public static Arbitrary<String> text() {
        Arbitrary<String> nasty = Arbitraries.of("nul\0inside", "\0", "C:\\u0000dir", "\\u0000", "\\\\u0000", "\\",
                "lone high \uD800 end", "\uDC00 lone low", "\uDBFF\uDBFF", "\uD83D", "\uFFFE\uFFFF",
                "\u0001\u0007\u001b[31m", "bidi \u202E\u2066 override \u2069",
                "emoji \uD83D\uDE00 \uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08", "", "tab\tnew\nline\r\\N\\.", "\\.",
                "\"quoted\"", "{\"json\":\"\\u0000\"}", "\u2028\u2029\u0085", "\\ud800",
                "'; DROP TABLE log_events; --");
        Arbitrary<String> mixed = Arbitraries.strings()
                .withChars('\0', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uFFFE', '\uFFFF', '\u0001', '\u202E',
                        '\\', 'u', '0', 'a', '\t', '\n', '"', 'é', '€')
                .ofMaxLength(24);
        return Arbitraries.frequencyOf(Tuple.of(40, nasty), Tuple.of(40, mixed), Tuple.of(8, Arbitraries.just(null)),
                Tuple.of(1, megabyte())); // about one hostile event in eight holds a 1 MB value
    }

    /** 1 MB (2^20 characters) of mostly letters, with NULs, control characters and lone surrogates among them. */
    public static Arbitrary<String> megabyte() {
        return Arbitraries.longs().map(seed -> {
            Random r = new Random(seed);
            StringBuilder b = new StringBuilder(1 << 20);
            for (int i = 0; i < 1 << 20; i++) {
                b.append((char) (r.nextInt(5) == 0 ? r.nextInt(0x3000) : 'a' + r.nextInt(26)));
            }
            return b.toString();
        });
    }
}
