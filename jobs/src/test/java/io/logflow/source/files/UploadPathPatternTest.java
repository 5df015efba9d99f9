package io.logflow.source.files;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UploadPathPatternTest {
    private final UploadPathPattern pattern = UploadPathPattern.parse(UploadPathPattern.DEFAULT);

    @Test
    void defaultPatternGivesWorkspaceServiceAndDate() {
        UploadPathPattern.Match m = pattern.match("acme/checkout/2026/11/02/app-10-05.json.gz");

        assertThat(m.matched).isTrue();
        assertThat(m.routingKey).isEqualTo("acme");
        assertThat(m.service).isEqualTo("checkout");
        assertThat(m.date).isEqualTo(LocalDate.of(2026, 11, 2));
        assertThat(m.dateMillis()).isEqualTo(1_793_577_600_000L); // 2026-11-02T00:00:00Z
    }

    @Test
    void aPathOfAnotherShapeIsRoutedByItsWholeRelativePath() {
        UploadPathPattern.Match m = pattern.match("loose-file.log");

        assertThat(m.matched).isFalse();
        assertThat(m.routingKey).isEqualTo("loose-file.log");
        assertThat(m.service).isNull();
        assertThat(m.dateMillis()).isZero();
    }

    @Test
    void anImpossibleDateDoesNotMatch() {
        assertThat(pattern.match("acme/api/2026/13/45/f.log").matched).isFalse();
    }

    @Test
    void literalsAndWildcardsMustLineUp() {
        UploadPathPattern p = UploadPathPattern.parse("logs/<workspace>/*/<file>");

        assertThat(p.match("logs/acme/anything/f.log").routingKey).isEqualTo("acme");
        assertThat(p.match("other/acme/anything/f.log").matched).isFalse();
    }

    @Test
    void malformedPatternsAreRejectedWithAReason() {
        assertThatThrownBy(() -> UploadPathPattern.parse("<workspace>//<file>")).hasMessageContaining("empty segment");
        assertThatThrownBy(() -> UploadPathPattern.parse("<workspace>/<workspace>")).hasMessageContaining("twice");
        assertThatThrownBy(() -> UploadPathPattern.parse("/abs/<file>")).hasMessageContaining("separated by '/'");
        assertThatThrownBy(() -> UploadPathPattern.parse("<yyyy>/<file>")).hasMessageContaining("a date needs all");
    }
}
