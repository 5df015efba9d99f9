package io.logflow.sink.postgres;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Applies the versioned schema in {@code sql/postgres/} (packed into the jar under {@code db/migration}). */
public final class Migrations {
    private Migrations() {}

    public static MigrateResult apply(PostgresConfig config) {
        return Flyway.configure()
                .dataSource(config.url, config.user, config.password)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }
}
