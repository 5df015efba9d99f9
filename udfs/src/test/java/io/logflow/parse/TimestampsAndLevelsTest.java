package io.logflow.parse;

import io.logflow.model.Level;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TimestampsAndLevelsTest {
    private static long at(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void isoVariantsAllMeanTheSameInstant() {
        long expected = at("2024-02-29T10:15:30.250Z");
        assertThat(Timestamps.parse("2024-02-29T10:15:30.250Z")).isEqualTo(expected);
        assertThat(Timestamps.parse("2024-02-29 10:15:30,250")).isEqualTo(expected);
        assertThat(Timestamps.parse("2024-02-29T12:15:30.250123+02:00")).isEqualTo(expected);
        assertThat(Timestamps.parse("2024-02-29T05:15:30.25-0500")).isEqualTo(expected);
        assertThat(Timestamps.parse("2024/02/29 10:15:30.250")).isEqualTo(expected);
        assertThat(Timestamps.parse("2024-02-29 10:15:30.250 UTC")).isEqualTo(expected);
    }

    @Test
    void impossibleDatesAreNotTimestamps() {
        assertThat(Timestamps.parse("2023-02-29T10:15:30Z")).isEqualTo(Timestamps.NONE);
        assertThat(Timestamps.parse("2024-13-01T10:15:30Z")).isEqualTo(Timestamps.NONE);
        assertThat(Timestamps.parse("2024-06-15T24:00:00Z")).isEqualTo(Timestamps.NONE);
        assertThat(Timestamps.parse("2024-06-15T12:00:00Zjunk")).isEqualTo(Timestamps.NONE);
        assertThat(Timestamps.parse("yesterday")).isEqualTo(Timestamps.NONE);
    }

    @Test
    void epochNumbersAreToldApartByMagnitude() {
        long expected = at("2024-06-15T12:00:00Z");
        assertThat(Timestamps.parse("1718452800")).isEqualTo(expected);
        assertThat(Timestamps.parse("1718452800000")).isEqualTo(expected);
        assertThat(Timestamps.parse("1718452800000000")).isEqualTo(expected);
        assertThat(Timestamps.parse("1718452800000000000")).isEqualTo(expected);
        assertThat(Timestamps.parse("12")).isEqualTo(Timestamps.NONE);
    }

    @Test
    void syslogDatesTakeTheYearThatPutsThemNearestTheReceiveTime() {
        long june = at("2024-06-15T12:00:00Z");
        assertThat(Timestamps.parse("Jun 15 11:59:00", june)).isEqualTo(at("2024-06-15T11:59:00Z"));
        assertThat(Timestamps.parse("Jun 16 11:59:00", june)).isEqualTo(at("2024-06-16T11:59:00Z")); // clock skew
        assertThat(Timestamps.parse("Jun 17 12:00:01", june)).isEqualTo(at("2024-06-17T12:00:01Z"));
        assertThat(Timestamps.parse("Dec 10 12:00:00", june)).isEqualTo(at("2024-12-10T12:00:00Z"));
        assertThat(Timestamps.parse("Dec 16 12:00:00", june)).isEqualTo(at("2023-12-16T12:00:00Z"));
        assertThat(Timestamps.parse("Dec 31 23:59:58", at("2025-01-01T00:00:05Z")))
                .isEqualTo(at("2024-12-31T23:59:58Z"));
        assertThat(Timestamps.parse("Jan  1 00:00:01", at("2024-12-31T23:59:58Z")))
                .isEqualTo(at("2025-01-01T00:00:01Z"));
        assertThat(Timestamps.parse("Feb 29 00:00:00", at("2025-03-01T00:00:00Z")))
                .isEqualTo(at("2024-02-29T00:00:00Z"));
        assertThat(Timestamps.parse("Feb 30 00:00:00", june)).isEqualTo(Timestamps.NONE);
    }

    @Test
    void syslogDaysMayBeSpacePaddedZeroPaddedOrNotPadded() {
        long june = at("2024-06-15T12:00:00Z");
        long expected = at("2024-06-08T11:54:08Z");
        assertThat(Timestamps.parse("Jun  8 11:54:08", june)).isEqualTo(expected);
        assertThat(Timestamps.parse("Jun 08 11:54:08", june)).isEqualTo(expected);
        assertThat(Timestamps.parse("Jun 8 11:54:08", june)).isEqualTo(expected);
        assertThat(Timestamps.parse("Jun 123 11:54:08", june)).isEqualTo(Timestamps.NONE);
        assertThat(Timestamps.parse("Jun 0 11:54:08", june)).isEqualTo(Timestamps.NONE);
    }

    @Test
    void levelNamesNumbersAndSeverities() {
        assertThat(Levels.fromName(" Warning ")).isEqualTo(Level.WARN);
        assertThat(Levels.fromName("crit")).isEqualTo(Level.FATAL);
        assertThat(Levels.fromName("Information")).isEqualTo(Level.INFO);
        assertThat(Levels.fromName("10")).isEqualTo(Level.TRACE);
        assertThat(Levels.fromName("50")).isEqualTo(Level.ERROR);
        assertThat(Levels.fromName("3")).isEqualTo(Level.ERROR); // syslog severity
        assertThat(Levels.fromName("loud")).isNull();
    }

    @Test
    void sniffingNeedsUpperCaseBracketsOrAColon() {
        int[] pos = new int[2];
        assertThat(Levels.sniff("12:00:01 WARN disk", 0, pos)).isEqualTo(Level.WARN);
        assertThat(pos).containsExactly(9, 13);
        assertThat(Levels.sniff("[error] x", 0, pos)).isEqualTo(Level.ERROR);
        assertThat(Levels.sniff("fatal: repository not found", 0, pos)).isEqualTo(Level.FATAL);
        assertThat(Levels.sniff("finished without error", 0, pos)).isNull();
        assertThat(Levels.sniff("one two three four five six seven eight ERROR", 0, pos)).isNull();
    }
}
