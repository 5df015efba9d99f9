package io.logflow.sink.postgres;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;

import java.util.Arrays;

/**
 * Applies the versioned schema in {@code sql/postgres/} (packed into the jar under {@code db/migration}) and reads
 * how far a database has come. Flyway's own failures are unchecked exceptions whose messages say what went wrong.
 */
public final class Migrations {
    private static final String LOCATION = "classpath:db/migration";

    private Migrations() {}

    /** What {@link #apply} did. */
    public static final class Applied {
        /** Migrations applied now; 0 if the schema was up to date. */
        public final int migrationsExecuted;
        /** The schema's version afterwards, as Flyway reports it. */
        public final String targetSchemaVersion;

        Applied(int migrationsExecuted, String targetSchemaVersion) {
            this.migrationsExecuted = migrationsExecuted;
            this.targetSchemaVersion = targetSchemaVersion;
        }
    }

    public static Applied apply(PostgresConfig config) {
        MigrateResult result = flyway(config).migrate();
        return new Applied(result.migrationsExecuted, result.targetSchemaVersion);
    }

    /** A database's schema history compared with the migrations of this jar. */
    public static final class History {
        /** The newest version this jar's migrations build. */
        public final String required;
        /** The version of the database's schema, or null if it has none. */
        public final String current;
        /** Below 0 if {@link #current} is older than {@link #required}, 0 if equal, above 0 if newer. */
        public final int comparedToRequired;
        /** The version and description of a migration that failed in the database, or null if none did. */
        public final String failedVersion;
        public final String failedDescription;

        History(String required, String current, int comparedToRequired, String failedVersion,
                String failedDescription) {
            this.required = required;
            this.current = current;
            this.comparedToRequired = comparedToRequired;
            this.failedVersion = failedVersion;
            this.failedDescription = failedDescription;
        }
    }

    /** Reads the database's schema history (Flyway's table); throws if it cannot. */
    public static History history(PostgresConfig config) {
        MigrationInfoService info = flyway(config).info();
        MigrationVersion required = Arrays.stream(info.all())
                .filter(m -> m.getState().isResolved() && m.getVersion() != null)
                .map(MigrationInfo::getVersion)
                .max(MigrationVersion::compareTo)
                .orElse(MigrationVersion.EMPTY);
        MigrationInfo failed = Arrays.stream(info.applied())
                .filter(m -> m.getState().isFailed())
                .findFirst()
                .orElse(null);
        MigrationInfo current = info.current();
        MigrationVersion currentVersion = current == null ? null : current.getVersion();
        return new History(
                required.toString(),
                currentVersion == null ? null : currentVersion.toString(),
                currentVersion == null ? -1 : currentVersion.compareTo(required),
                failed == null ? null : String.valueOf(failed.getVersion()),
                failed == null ? null : failed.getDescription());
    }

    private static Flyway flyway(PostgresConfig config) {
        return Flyway.configure()
                .dataSource(config.url, config.user, config.password)
                .locations(LOCATION)
                .load();
    }
}
