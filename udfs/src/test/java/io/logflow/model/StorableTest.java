package io.logflow.model;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class StorableTest {

    @Test
    void nulAndUnpairedSurrogatesBecomeTheReplacementCharacter() {
        assertThat(Storable.text("a\0b")).isEqualTo("a\uFFFDb");
        assertThat(Storable.text("x\uD800")).isEqualTo("x\uFFFD");
        assertThat(Storable.text("\uDC00y")).isEqualTo("\uFFFDy");
        assertThat(Storable.text("\uDC00\uD800")).isEqualTo("\uFFFD\uFFFD");
        assertThat(Storable.text("\uD800\uD83D\uDE00")).isEqualTo("\uFFFD\uD83D\uDE00");
    }

    @Test
    void storableTextIsReturnedItself() {
        String s = "emoji \uD83D\uDE00, bidi \u202E, U+FFFF \uFFFF, text \\u0000";
        assertThat(Storable.text(s)).isSameAs(s);
        assertThat(Storable.isStorable(s)).isTrue();
        assertThat(Storable.text(null)).isNull();
    }

    @Test
    void truncateNeverSplitsASurrogatePair() {
        assertThat(Storable.truncate("ab\uD83D\uDE00", 3)).isEqualTo("ab");
        assertThat(Storable.truncate("ab\uD83D\uDE00", 4)).isEqualTo("ab\uD83D\uDE00");
        assertThat(Storable.truncate("abc", 2)).isEqualTo("ab");
    }

    @Property
    void resultIsAlwaysStorableAndKeepsItsLength(
            @ForAll @Chars({'\0', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', 'a', '\\', 'u', '0'})
            @CharRange(from = '\uD7F0', to = '\uE010') String s) {
        String out = Storable.text(s);
        assertThat(Storable.isStorable(out)).isTrue();
        assertThat(out).hasSameSizeAs(s);
        // what PostgreSQL and JSON encoders see: the UTF-8 round trip changes nothing any more
        assertThat(new String(out.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(out);
        assertThat(out.indexOf('\0')).isEqualTo(-1);
    }

    @Property
    void truncatedStorableTextStaysStorable(
            @ForAll @Chars({'a', '\uD83D', '\uDE00'}) String s, @ForAll @IntRange(max = 40) int max) {
        String out = Storable.truncate(Storable.text(s), max);
        assertThat(Storable.isStorable(out)).isTrue();
        assertThat(out.length()).isLessThanOrEqualTo(max);
    }
}
