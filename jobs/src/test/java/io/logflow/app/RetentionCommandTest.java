package io.logflow.app;

import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.testing.Console;
import io.logflow.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code logflow retention}: drops the expired days of log_events and ingest_failures, says which, keeps the rest. */
class RetentionCommandTest {
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    @Test
    void dropsTheDaysOlderThanTheRetentionAndKeepsTheOthers() throws Exception {
        PostgresConfig db = POSTGRES.freshDatabase();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate expired = today.minusDays(31);
        LocalDate kept = today.minusDays(29);
        PostgresExtension.count(db, "SELECT logflow_create_partition('log_events', DATE '" + expired + "')::int"
                + " + logflow_create_partition('log_events', DATE '" + kept + "')::int");

        Console console = Console.run(Main::execute, "retention", "--postgres.url", db.url, "--postgres.user", db.user,
                "--postgres.retention", "30 d");

        String expiredName = "log_events_p" + DateTimeFormatter.BASIC_ISO_DATE.format(expired);
        assertThat(console.exitCode).isZero();
        assertThat(console.out).contains("dropped 1 partitions").contains(expiredName);
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM pg_class WHERE relname = '" + expiredName + "'"))
                .isZero();
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'log_events'::regclass"))
                .isEqualTo(1 + 1 + 3); // the kept day, the default partition, today and the next two days
    }

    @Test
    void aRetentionShorterThanADayOrNoneIsAConfigurationError() throws Exception {
        PostgresConfig db = POSTGRES.freshDatabase();
        Console tooShort = Console.run(Main::execute,
                "retention", "--postgres.url", db.url, "--postgres.retention", "12 h");
        assertThat(tooShort.exitCode).isEqualTo(2);
        assertThat(tooShort.err).contains("postgres.retention: expected a duration of at least 1 d");

        Console none = Console.run(Main::execute, "retention", "--postgres.url", db.url);
        assertThat(none.exitCode).isEqualTo(2);
        assertThat(none.err).contains("postgres.retention: required");
    }
}
